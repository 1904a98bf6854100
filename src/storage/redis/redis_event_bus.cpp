#include "storage/redis/redis_event_bus.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "core/events/event_codec.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/metrics/shared_state_stats.hpp"
#include "storage/redis/redis_client.hpp"
#include "storage/redis/redis_subscriber.hpp"

namespace atrium::storage::redis {

namespace {

namespace events = core::events;

// Bounds on the receiver's and the publisher's bookkeeping: cleared when exceeded,
// which costs at most one duplicate (a publisher forgotten) or one needless publish.
constexpr std::size_t kMaxPublishers = 4096;
constexpr std::size_t kMaxNegativeTopics = 100000;

// "<instance> <count>\n<encoded event>": who sent it and the sender's running count.
struct Envelope {
  std::string_view instance;
  std::uint64_t count = 0;
  std::string_view event;
};

std::optional<Envelope> ParseEnvelope(std::string_view message) {
  const auto space = message.find(' ');
  const auto newline = message.find('\n');
  if (space == std::string_view::npos || newline == std::string_view::npos || space > newline) return std::nullopt;
  Envelope out;
  out.instance = message.substr(0, space);
  const std::string_view count = message.substr(space + 1, newline - space - 1);
  const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), out.count);
  if (ec != std::errc{} || end != count.data() + count.size()) return std::nullopt;
  out.event = message.substr(newline + 1);
  return out;
}

}  // namespace

struct RedisEventBus::Shared {
  Shared(RedisClient& c, RedisEventBusOptions o, core::metrics::SharedStateStats& s)
      : client(c), options(std::move(o)), stats(s) {}

  std::string Channel(std::string_view topic) const {
    std::string channel = options.prefix;
    channel += "bus:";
    channel += topic;
    return channel;
  }

  // On the subscriber's thread.
  void Receive(std::string_view payload) {
    const auto envelope = ParseEnvelope(payload);
    if (!envelope || envelope->instance == options.instance_id) return;  // ours was delivered at publish
    {
      std::lock_guard lock(seen_mu);
      const std::string instance(envelope->instance);
      auto it = last_seen.find(instance);
      if (it == last_seen.end()) {
        if (last_seen.size() >= kMaxPublishers) last_seen.clear();
        it = last_seen.emplace(instance, 0).first;
      }
      // Another copy of an event already delivered (it has several topics followed here).
      if (envelope->count <= it->second) return;
      it->second = envelope->count;
    }
    auto event = events::DecodeEvent(envelope->event);
    if (!event) return;  // another build's event type: nothing here can show it
    stats.bus_messages_in.fetch_add(1, std::memory_order_relaxed);
    event->remote = true;
    (void)local.Publish(std::move(*event));  // its topics and payload were valid where it was published
  }

  RedisClient& client;
  const RedisEventBusOptions options;
  core::metrics::SharedStateStats& stats;
  events::InProcessEventBus local;
  std::atomic<std::uint64_t> published{0};

  std::mutex seen_mu;
  std::unordered_map<std::string, std::uint64_t> last_seen;  // publisher -> last count delivered

  mutable std::mutex negative_mu;
  // topic -> when a publish to it last reached no other instance
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> no_remote;

  // Reset by the bus's destructor; Handles that outlive the bus find it null.
  mutable std::mutex subscriber_mu;
  std::shared_ptr<RedisSubscriber> subscriber;

  std::shared_ptr<RedisSubscriber> CurrentSubscriber() const {
    std::lock_guard lock(subscriber_mu);
    return subscriber;
  }
};

class RedisEventBus::Handle final : public events::Subscription {
 public:
  Handle(std::shared_ptr<Shared> shared, std::unique_ptr<events::Subscription> inner, std::vector<std::string> channels)
      : shared_(std::move(shared)), inner_(std::move(inner)), channels_(std::move(channels)) {}
  ~Handle() override {
    inner_.reset();  // no more deliveries, then the channels go
    if (auto subscriber = shared_->CurrentSubscriber()) subscriber->Release(channels_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  events::EventPtr TryPop() override { return inner_->TryPop(); }
  events::EventPtr PopFor(std::chrono::milliseconds timeout) override { return inner_->PopFor(timeout); }
  void SetNotifier(std::function<void()> notifier) override { inner_->SetNotifier(std::move(notifier)); }
  bool overflowed() const override { return inner_->overflowed(); }
  std::uint64_t dropped() const override { return inner_->dropped(); }

 private:
  std::shared_ptr<Shared> shared_;
  std::unique_ptr<events::Subscription> inner_;
  std::vector<std::string> channels_;
};

RedisEventBus::RedisEventBus(RedisClient& client, const RedisClientOptions& subscriber_options,
                             RedisEventBusOptions options, core::metrics::SharedStateStats& stats)
    : shared_(std::make_shared<Shared>(client, std::move(options), stats)) {
  Shared* shared = shared_.get();
  auto subscriber = std::make_shared<RedisSubscriber>(
      subscriber_options, stats, [shared](std::string_view, std::string_view payload) { shared->Receive(payload); });
  std::lock_guard lock(shared_->subscriber_mu);
  shared_->subscriber = std::move(subscriber);
}

RedisEventBus::~RedisEventBus() {
  // Stops the subscriber's thread (and with it every remote delivery) while the rest
  // of the shared state still stands; a call on another thread that holds it meanwhile
  // stops it when that call returns.
  std::shared_ptr<RedisSubscriber> subscriber;
  {
    std::lock_guard lock(shared_->subscriber_mu);
    subscriber = std::move(shared_->subscriber);
  }
}

bool RedisEventBus::subscriber_connected() const {
  const auto subscriber = shared_->CurrentSubscriber();
  return subscriber && subscriber->connected();
}

core::Result<void> RedisEventBus::Publish(events::Event event) {
  // Validated and delivered here first (the local bus checks topics and type).
  event.remote = false;
  const std::vector<std::string> topics = event.topics;
  std::string text;
  const bool any_topic = !topics.empty();
  if (any_topic) text = events::EncodeEvent(event);
  if (auto local = shared_->local.Publish(std::move(event)); !local) return local;

  const std::uint64_t count = shared_->published.fetch_add(1, std::memory_order_relaxed) + 1;
  std::string message = shared_->options.instance_id;
  message += ' ';
  message += std::to_string(count);
  message += '\n';
  message += text;

  std::weak_ptr<Shared> weak = shared_;
  core::Result<void> sent = core::Ok{};
  for (const auto& topic : topics) {
    const bool followed_here = shared_->local.HasSubscribers(topic);
    auto posted = shared_->client.Post({"PUBLISH", shared_->Channel(topic), message},
                                       [weak, topic, followed_here](const core::Result<RedisValue>& r) {
                                         auto shared = weak.lock();
                                         if (!shared || !r || r->kind != RedisValue::Kind::kInteger) return;
                                         // Our own subscriber connection is one of the receivers when we follow the
                                         // topic.
                                         const bool reached_others = r->integer > (followed_here ? 1 : 0);
                                         std::lock_guard lock(shared->negative_mu);
                                         if (reached_others) {
                                           shared->no_remote.erase(topic);
                                           return;
                                         }
                                         if (shared->no_remote.size() >= kMaxNegativeTopics) shared->no_remote.clear();
                                         shared->no_remote[topic] = std::chrono::steady_clock::now();
                                       });
    if (!posted) {
      sent = posted.error();
      break;  // the client is down: no further copy would go either
    }
  }
  if (!sent) {
    shared_->stats.bus_messages_unsent.fetch_add(1, std::memory_order_relaxed);
    return sent;
  }
  shared_->stats.bus_messages_out.fetch_add(1, std::memory_order_relaxed);
  return core::Ok{};
}

bool RedisEventBus::HasSubscribers(std::string_view topic) const {
  return shared_->local.HasSubscribers(topic) || HasRemoteSubscribers(topic);
}

bool RedisEventBus::HasRemoteSubscribers(std::string_view topic) const {
  if (!shared_->client.connected()) return false;  // nobody else can be reached now
  std::lock_guard lock(shared_->negative_mu);
  const auto it = shared_->no_remote.find(std::string(topic));
  if (it == shared_->no_remote.end()) return true;
  return std::chrono::steady_clock::now() - it->second >= shared_->options.negative_ttl;
}

std::unique_ptr<events::Subscription> RedisEventBus::Subscribe(std::vector<std::string> topics,
                                                               events::SubscriberOptions options) {
  std::sort(topics.begin(), topics.end());
  topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
  std::erase_if(topics, [](const std::string& topic) { return topic.empty(); });
  std::vector<std::string> channels;
  channels.reserve(topics.size());
  for (const auto& topic : topics) channels.push_back(shared_->Channel(topic));
  auto inner = shared_->local.Subscribe(std::move(topics), options);
  // Confirmed before returning (or not waited for while Redis is down: see the header).
  if (auto subscriber = shared_->CurrentSubscriber())
    (void)subscriber->Acquire(channels, shared_->options.subscribe_wait);
  return std::make_unique<Handle>(shared_, std::move(inner), std::move(channels));
}

}  // namespace atrium::storage::redis
