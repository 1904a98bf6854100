#pragma once
// Publish/subscribe by topic. The core and the dialects publish; transports (SSE,
// WebSocket) subscribe on behalf of connected clients. The interface is the whole
// contract so that a bus shared by several instances (e.g. over a pub/sub server) can
// replace the in-process one without touching publishers or transports.
//
// Every subscription has a bounded queue: a slow client never makes a publisher wait
// and never makes the server's memory grow without limit.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/events/event.hpp"
#include "core/result.hpp"

namespace atrium::core::events {

// What happens to an event that finds its subscription's queue full.
enum class OverflowPolicy {
  // The subscription is marked overflowed and nothing more is queued for it: the
  // client has missed events, so the transport closes it and the client reconnects
  // and resynchronises. For streams where a gap would be wrong (message deltas).
  kDisconnect,
  // The oldest queued event is dropped (and counted) to make room. For streams where
  // only the latest state matters (presence, progress).
  kDropOldest,
};

struct SubscriberOptions {
  // Events held for this subscriber at most; 0 is treated as 1.
  std::size_t max_queue = 256;
  OverflowPolicy policy = OverflowPolicy::kDisconnect;
};

// One subscriber's view of the bus. The object's lifetime is the subscription:
// destroying it unsubscribes. It may be destroyed before or after the bus that made it
// and while other threads publish.
//
// Thread-safety: every method may be called from any thread, concurrently with
// publishing. Destroying the object must not race with calls on it (as for any object).
class Subscription {
 public:
  // Unsubscribes. When the destructor returns, the notifier is not running and will
  // not be called again.
  virtual ~Subscription() = default;

  // The oldest queued event, or nullptr when the queue is empty. Never blocks on a
  // publisher for longer than one enqueue. The event is shared with the other
  // subscriptions that received it: it is immutable.
  virtual EventPtr TryPop() = 0;

  // Like TryPop, but waits up to `timeout` for an event. For worker threads and tests;
  // never call it on an I/O thread.
  virtual EventPtr PopFor(std::chrono::milliseconds timeout) = 0;

  // Sets (or, with an empty function, clears) the wake-up hook. It is called when the
  // queue goes from empty to non-empty, on the publisher's thread and outside the
  // bus's locks, so a transport can post a drain to its own event loop instead of
  // polling. It is edge-triggered: the drain must pop until TryPop returns nullopt, or
  // events that arrive meanwhile bring no new call. A call may find the queue already
  // drained by another consumer. If events are already queued when a notifier is set,
  // it is called once at once, on the caller's thread, so none is missed.
  //
  // Calls are serialised. The notifier must be quick and must not throw; it may call
  // TryPop, overflowed and dropped, but must not publish, call SetNotifier or destroy
  // this subscription (those wait for the notifier to return). After SetNotifier
  // returns, the previous notifier is not running and will not be called again.
  virtual void SetNotifier(std::function<void()> notifier) = 0;

  // With kDisconnect: an event found the queue full. Nothing has been queued since;
  // events queued before stay poppable. The transport should close the client.
  virtual bool overflowed() const = 0;

  // Events published to this subscription's topics that it will never see: with
  // kDropOldest those pushed out of a full queue, with kDisconnect the one that
  // overflowed and every one after it.
  virtual std::uint64_t dropped() const = 0;
};

// Thread-safety: every method may be called from any thread.
class EventBus {
 public:
  virtual ~EventBus() = default;

  // Delivers `event` to every current subscriber of any of `event.topics`, stamping its
  // sequence; a subscription that follows several of them receives it once. Never
  // waits for a subscriber. Each subscription receives events in sequence order. Fails
  // with kInvalidArgument when no topic is given, a topic is empty, or an OpaqueJson
  // has no type; a bus shared between instances may also fail with kUnavailable when
  // its server cannot be reached. Publishing to topics nobody follows succeeds.
  virtual Result<void> Publish(Event event) = 0;

  // Whether `topic` has a subscriber now, so that a publisher can skip building events
  // nobody would receive (chat deltas). A hint, not a promise: a subscription made
  // right after the answer may miss the skipped event, as it may miss one published
  // concurrently with Subscribe. A bus shared between instances answers for all of
  // them, or true when it cannot tell.
  virtual bool HasSubscribers(std::string_view topic) const = 0;

  // Whether a subscriber of `topic` may be on another instance: always false for a bus
  // of one process; a shared bus answers like HasSubscribers, for the others only. For
  // a dialect that serves its own local clients directly and publishes a copy only for
  // the clients of the other instances.
  virtual bool HasRemoteSubscribers(std::string_view /*topic*/) const { return false; }

  // Subscribes to every topic in `topics` (duplicates and empty names are ignored)
  // until the returned object is destroyed. Every event published after Subscribe
  // returns is offered to the queue; one published concurrently may or may not be.
  virtual std::unique_ptr<Subscription> Subscribe(std::vector<std::string> topics, SubscriberOptions options) = 0;
};

}  // namespace atrium::core::events
