#pragma once
// The event bus of several instances sharing one Redis server. Subscribers are local
// (an InProcessEventBus fans each event out to this instance's queues); Redis carries
// events between instances over pub/sub, one channel per topic (<prefix>bus:<topic>),
// on one subscriber connection per instance (RedisSubscriber), subscribed while this
// instance has a subscriber of the topic.
//
// Delivery: a publish reaches this instance's subscribers at once (never through
// Redis, so never twice), and every other instance's subscribers once each: an event
// with several topics is published on each of their channels, and a receiver that
// gets it on more than one delivers the first copy only (each copy names its
// publisher and the publisher's running count, and a publisher's messages arrive in
// the order it sent them). Per publisher, events arrive in publish order; events of
// different instances may interleave differently on each instance. Sequences are
// stamped by each receiving instance (EventBus: "within one bus").
//
// Subscribe waits (up to `subscribe_wait`) for Redis to confirm a channel this
// instance did not follow yet, so an event published anywhere after Subscribe returns
// is received, as the EventBus contract asks; while Redis is unreachable it does not
// wait, and the channel is subscribed on reconnect.
//
// Redis unreachable (the decision this bus makes for EventBus::Publish): the event is
// still delivered to this instance's subscribers, and Publish then fails with
// kUnavailable, meaning "delivered here only" (counted as unsent). Events are not
// queued for later: a client that missed some resynchronises as after any reconnect.
// When Redis is back, the client's and the subscriber's connections come back on their
// own (backoff) and every topic still followed is subscribed again; nothing restarts.
//
// HasSubscribers: true when this instance has a subscriber; otherwise false only when
// a publish to that topic in the last `negative_ttl` reached no other instance (the
// PUBLISH reply counts receivers), and true when it cannot tell. While Redis is
// unreachable it answers for this instance alone (nothing else can be reached).
//
// Thread-safety: as EventBus. Remote events are delivered on the subscriber's thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/events/event_bus.hpp"

namespace atrium::core::metrics {
struct SharedStateStats;
}  // namespace atrium::core::metrics

namespace atrium::storage::redis {

class RedisClient;
struct RedisClientOptions;

struct RedisEventBusOptions {
  std::string prefix = "atrium:";  // every key and channel starts with it
  // Unique per running instance (random at start-up): tells this instance's own
  // messages apart.
  std::string instance_id;
  std::chrono::milliseconds subscribe_wait{250};
  std::chrono::milliseconds negative_ttl{250};
};

class RedisEventBus final : public core::events::EventBus {
 public:
  // Publishes through `client` (which must outlive the bus) and opens its own
  // subscriber connection with `subscriber_options`.
  RedisEventBus(RedisClient& client, const RedisClientOptions& subscriber_options, RedisEventBusOptions options,
                core::metrics::SharedStateStats& stats);
  ~RedisEventBus() override;
  RedisEventBus(const RedisEventBus&) = delete;
  RedisEventBus& operator=(const RedisEventBus&) = delete;

  core::Result<void> Publish(core::events::Event event) override;
  bool HasSubscribers(std::string_view topic) const override;
  bool HasRemoteSubscribers(std::string_view topic) const override;
  std::unique_ptr<core::events::Subscription> Subscribe(std::vector<std::string> topics,
                                                        core::events::SubscriberOptions options) override;

  // Whether the subscriber connection is up (health, tests).
  bool subscriber_connected() const;

 private:
  struct Shared;
  class Handle;
  std::shared_ptr<Shared> shared_;
};

}  // namespace atrium::storage::redis
