#include "core/chat/running_turns.hpp"

#include <atomic>
#include <utility>

#include "core/chat/turn_cancel.hpp"

namespace atrium::core::chat {

struct RunningTurns::Listener {
  std::string user_id;
  std::string origin;
  std::function<void()> cancel;
  std::atomic<bool> fired{false};

  // On the publisher's thread: hands the cancel to the pool. A pool that refuses (full,
  // shutting down) leaves it unfired, so the next stop tries again.
  void Fire(WorkerPool& pool, const std::shared_ptr<Listener>& self) {
    if (fired.exchange(true)) return;
    if (!pool.TrySubmit([self] { self->cancel(); })) fired = false;
  }
};

RunningTurns::RunningTurns(TurnRegistry& registry, events::EventBus& bus, WorkerPool& cancels)
    : registry_(registry), bus_(bus), cancels_(cancels) {}

RunningTurns::~RunningTurns() {
  std::map<std::string, Tracked> tracked;
  {
    std::lock_guard lock(mu_);
    tracked.swap(tracked_);
  }
}

Result<void> RunningTurns::Track(const std::string& turn_id, const std::string& user_id, const std::string& origin,
                                 std::function<void()> cancel) {
  auto listener = std::make_shared<Listener>();
  listener->user_id = user_id;
  listener->origin = origin;
  listener->cancel = std::move(cancel);
  // Stops are rare and idempotent: a short queue that drops the oldest is enough.
  auto subscription = bus_.Subscribe({TurnTopic(turn_id)}, {4, events::OverflowPolicy::kDropOldest});
  subscription->SetNotifier([sub = subscription.get(), listener, &pool = cancels_] {
    while (auto event = sub->TryPop()) {
      const auto request = DecodeTurnCancel(*event);
      if (request && request->user_id == listener->user_id) listener->Fire(pool, listener);
    }
  });
  Tracked replaced;
  {
    std::lock_guard lock(mu_);
    Tracked& slot = tracked_[turn_id];
    replaced = std::exchange(slot, Tracked{std::move(listener), std::move(subscription)});
  }
  // `replaced` unsubscribes here, outside the lock.
  return registry_.Add(turn_id, RunningTurn{user_id, origin});
}

void RunningTurns::End(const std::string& turn_id) {
  // Unregistered first: a stop that still finds the entry still finds the listener.
  (void)registry_.Remove(turn_id);  // a failure leaves a stale entry: its stop reaches nobody
  Tracked ended;
  {
    std::lock_guard lock(mu_);
    const auto it = tracked_.find(turn_id);
    if (it == tracked_.end()) return;
    ended = std::move(it->second);
    tracked_.erase(it);
  }
}

Result<bool> RunningTurns::Stop(const std::string& turn_id, const std::string& user_id) {
  {
    // A turn running here is stopped here: no registry or bus on the way, so it stops
    // even while a shared registry is unreachable.
    std::lock_guard lock(mu_);
    const auto it = tracked_.find(turn_id);
    if (it != tracked_.end()) {
      const auto& listener = it->second.listener;
      if (listener->user_id != user_id) return false;
      listener->Fire(cancels_, listener);
      return true;
    }
  }
  auto running = registry_.IsRunning(turn_id, user_id);
  if (!running) return running.error();
  if (!*running) return false;
  if (auto published = bus_.Publish(EncodeTurnCancel({turn_id, user_id})); !published) return published.error();
  return true;
}

void RunningTurns::StopStartedBy(const std::string& origin, const std::string& user_id) {
  // A connection's turns run where it is connected: here. Their entries go when they end.
  std::lock_guard lock(mu_);
  for (auto& [turn_id, tracked] : tracked_) {
    const auto& listener = tracked.listener;
    if (listener->origin == origin && listener->user_id == user_id) listener->Fire(cancels_, listener);
  }
}

}  // namespace atrium::core::chat
