#include "core/events/in_process_event_bus.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace atrium::core::events {
namespace {

// One subscription's bounded queue and notifier. Owned jointly by the Subscription
// handle and the topic index, so a publish that already found it can finish after the
// handle is gone.
//
// Locks: the bus lock may be held while taking mu_ (Publish enqueues under it);
// notify_mu_ is never taken with the bus lock or mu_ held, and mu_ may be taken under
// notify_mu_ (the notifier may pop).
class SubscriberQueue {
 public:
  explicit SubscriberQueue(SubscriberOptions options)
      : max_queue_(std::max<std::size_t>(options.max_queue, 1)), policy_(options.policy) {}

  // Returns true when the queue went from empty to non-empty, i.e. the notifier is due.
  bool Push(EventPtr event) {
    bool was_empty = false;
    {
      std::lock_guard lock(mu_);
      if (overflowed_) {
        ++dropped_;
        return false;
      }
      was_empty = queue_.empty();
      if (queue_.size() >= max_queue_) {
        if (policy_ == OverflowPolicy::kDisconnect) {
          overflowed_ = true;
          ++dropped_;
          return false;
        }
        queue_.pop_front();
        ++dropped_;
      }
      queue_.push_back(std::move(event));
    }
    cv_.notify_one();
    return was_empty;
  }

  EventPtr TryPop() {
    std::lock_guard lock(mu_);
    return PopLocked();
  }

  EventPtr PopFor(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [this] { return !queue_.empty(); });
    return PopLocked();
  }

  void SetNotifier(std::function<void()> notifier) {
    std::function<void()> previous;  // destroyed after the lock is released
    std::lock_guard notify_lock(notify_mu_);
    previous = std::exchange(notifier_, std::move(notifier));
    if (notifier_ && !empty()) notifier_();
  }

  // Called by Publish after it released the bus lock.
  void Notify() {
    std::lock_guard notify_lock(notify_mu_);
    if (notifier_) notifier_();
  }

  // Waits for a running notifier and drops it; called when the handle is destroyed.
  void Close() {
    std::function<void()> previous;  // destroyed after the lock is released
    std::lock_guard notify_lock(notify_mu_);
    previous = std::exchange(notifier_, nullptr);
  }

  bool overflowed() const {
    std::lock_guard lock(mu_);
    return overflowed_;
  }
  std::uint64_t dropped() const {
    std::lock_guard lock(mu_);
    return dropped_;
  }

 private:
  bool empty() const {
    std::lock_guard lock(mu_);
    return queue_.empty();
  }

  EventPtr PopLocked() {
    if (queue_.empty()) return nullptr;
    EventPtr event = std::move(queue_.front());
    queue_.pop_front();
    return event;
  }

  const std::size_t max_queue_;
  const OverflowPolicy policy_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<EventPtr> queue_;
  bool overflowed_ = false;
  std::uint64_t dropped_ = 0;

  std::mutex notify_mu_;
  std::function<void()> notifier_;
};

using QueuePtr = std::shared_ptr<SubscriberQueue>;

// Lets the index be searched with a string_view (HasSubscribers runs per chat delta).
struct TopicHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view topic) const { return std::hash<std::string_view>{}(topic); }
};

}  // namespace

struct InProcessEventBus::Index {
  std::mutex mu;
  std::uint64_t last_sequence = 0;
  std::unordered_map<std::string, std::vector<QueuePtr>, TopicHash, std::equal_to<>> topics;

  void Remove(const std::vector<std::string>& names, const SubscriberQueue* queue) {
    std::lock_guard lock(mu);
    for (const auto& name : names) {
      auto it = topics.find(name);
      if (it == topics.end()) continue;
      auto& subscribers = it->second;
      auto found = std::find_if(subscribers.begin(), subscribers.end(),
                                [queue](const QueuePtr& candidate) { return candidate.get() == queue; });
      if (found != subscribers.end()) {
        // Order within a topic does not matter: each subscription's own order is kept
        // by the bus lock, not by its position here.
        std::swap(*found, subscribers.back());
        subscribers.pop_back();
      }
      if (subscribers.empty()) topics.erase(it);
    }
  }
};

class InProcessEventBus::Handle final : public Subscription {
 public:
  Handle(std::shared_ptr<Index> index, std::vector<std::string> topics, QueuePtr queue)
      : index_(std::move(index)), topics_(std::move(topics)), queue_(std::move(queue)) {}

  ~Handle() override {
    // First out of the index, so no later publish finds the queue; then wait for a
    // notifier a publish that did find it may be running.
    index_->Remove(topics_, queue_.get());
    queue_->Close();
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  EventPtr TryPop() override { return queue_->TryPop(); }
  EventPtr PopFor(std::chrono::milliseconds timeout) override { return queue_->PopFor(timeout); }
  void SetNotifier(std::function<void()> notifier) override { queue_->SetNotifier(std::move(notifier)); }
  bool overflowed() const override { return queue_->overflowed(); }
  std::uint64_t dropped() const override { return queue_->dropped(); }

 private:
  std::shared_ptr<Index> index_;
  std::vector<std::string> topics_;
  QueuePtr queue_;
};

InProcessEventBus::InProcessEventBus() : index_(std::make_shared<Index>()) {}

InProcessEventBus::~InProcessEventBus() = default;

Result<void> InProcessEventBus::Publish(Event event) {
  if (event.topics.empty()) return Error(ErrorCode::kInvalidArgument, "event has no topic");
  for (const auto& topic : event.topics) {
    if (topic.empty()) return Error(ErrorCode::kInvalidArgument, "event topic is empty");
  }
  if (const auto* opaque = event.As<OpaqueJson>(); opaque != nullptr && opaque->type.empty()) {
    return Error(ErrorCode::kInvalidArgument, "event type is empty");
  }

  std::vector<QueuePtr> to_notify;
  {
    std::lock_guard lock(index_->mu);
    event.sequence = ++index_->last_sequence;
    // Every subscription of any of the topics, each once however many it follows (a
    // subscription is listed at most once per topic).
    std::vector<const QueuePtr*> targets;
    std::unordered_set<const SubscriberQueue*> seen;
    const bool several = event.topics.size() > 1;
    for (const auto& topic : event.topics) {
      auto it = index_->topics.find(topic);
      if (it == index_->topics.end()) continue;
      for (const auto& queue : it->second) {
        if (!several || seen.insert(queue.get()).second) targets.push_back(&queue);
      }
    }
    if (targets.empty()) return Ok{};
    const auto shared = std::make_shared<const Event>(std::move(event));
    for (const QueuePtr* queue : targets) {
      if ((*queue)->Push(shared)) to_notify.push_back(*queue);
    }
  }
  for (const auto& queue : to_notify) queue->Notify();
  return Ok{};
}

std::unique_ptr<Subscription> InProcessEventBus::Subscribe(std::vector<std::string> topics, SubscriberOptions options) {
  std::sort(topics.begin(), topics.end());
  topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
  std::erase_if(topics, [](const std::string& topic) { return topic.empty(); });

  auto queue = std::make_shared<SubscriberQueue>(options);
  {
    std::lock_guard lock(index_->mu);
    for (const auto& topic : topics) index_->topics[topic].push_back(queue);
  }
  return std::make_unique<Handle>(index_, std::move(topics), std::move(queue));
}

bool InProcessEventBus::HasSubscribers(std::string_view topic) const { return subscriber_count(topic) > 0; }

std::size_t InProcessEventBus::subscriber_count(std::string_view topic) const {
  std::lock_guard lock(index_->mu);
  auto it = index_->topics.find(topic);
  return it == index_->topics.end() ? 0 : it->second.size();
}

std::size_t InProcessEventBus::topic_count() const {
  std::lock_guard lock(index_->mu);
  return index_->topics.size();
}

}  // namespace atrium::core::events
