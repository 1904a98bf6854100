#pragma once
// The event bus of a single instance: subscribers live in this process, and one
// immutable copy of each event is shared by the queues of all its subscribers (never
// serialised). Publishing costs one queue push per subscriber of the event's topics (a
// topic index finds them) and never waits for a consumer.
//
// Publishes are serialised by one short lock, which is what makes every subscription
// see events in sequence order; enqueueing takes a per-subscriber lock that consumers
// hold only to pop, and notifiers run after the bus lock is released.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/events/event_bus.hpp"

namespace atrium::core::events {

class InProcessEventBus final : public EventBus {
 public:
  InProcessEventBus();
  // Live subscriptions may outlive the bus; they then receive nothing more.
  ~InProcessEventBus() override;
  InProcessEventBus(const InProcessEventBus&) = delete;
  InProcessEventBus& operator=(const InProcessEventBus&) = delete;

  Result<void> Publish(Event event) override;
  std::unique_ptr<Subscription> Subscribe(std::vector<std::string> topics, SubscriberOptions options) override;
  bool HasSubscribers(std::string_view topic) const override;

  // Thread-safe, for metrics and tests: live subscriptions of `topic`, and topics with
  // at least one subscription.
  std::size_t subscriber_count(std::string_view topic) const;
  std::size_t topic_count() const;

 private:
  // The topic index, shared with every Subscription so that either may go first.
  struct Index;
  class Handle;  // the Subscription this bus hands out
  std::shared_ptr<Index> index_;
};

}  // namespace atrium::core::events
