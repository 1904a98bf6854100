#pragma once
// Stopping a turn by id from any instance: the registry says whose turn an id is, the
// bus carries the stop (TurnCancelRequested on TurnTopic(id)) to the instance running
// it, which cancels it. The instance that starts a turn Tracks it (registers it and
// follows its topic) and Ends it when its last event is out.
//
// Failure policy is the registry's (TurnRegistry::kOnFailure, closed): Stop of a turn
// running elsewhere returns the registry's or the bus's error, which the caller answers
// as "nothing to stop". Turns running here stop without either.
//
// Thread-safety: every method may be called from any thread. Cancels run on the
// `cancels` pool, never on the bus's notifier (a cancel may store the partial answer
// and publish), each at most once per Track.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/chat/turn_registry.hpp"
#include "core/events/event_bus.hpp"
#include "core/result.hpp"
#include "core/worker_pool.hpp"

namespace atrium::core::chat {

class RunningTurns {
 public:
  RunningTurns(TurnRegistry& registry, events::EventBus& bus, WorkerPool& cancels);
  // Stops listening for every turn still tracked.
  ~RunningTurns();
  RunningTurns(const RunningTurns&) = delete;
  RunningTurns& operator=(const RunningTurns&) = delete;

  // A turn running here, `user_id`'s, started from `origin`: follows its topic, then
  // registers it, so a stop that finds the entry finds the listener. `cancel` runs when
  // the turn's user stops it (or its origin's session ends). An error is the
  // registry's: the turn runs on, but cannot be stopped by id. A turn may end before it
  // is tracked; the caller then Ends it after Track (check a flag its sink sets).
  Result<void> Track(const std::string& turn_id, const std::string& user_id, const std::string& origin,
                     std::function<void()> cancel);

  // The turn ended: unregisters it and stops listening. Unknown ids are fine. Must not
  // be called from a bus notifier.
  void End(const std::string& turn_id);

  // Stops `user_id`'s running turn `turn_id`, wherever it runs. false when there is
  // none (finished, never started, another user's). The cancel itself is asynchronous.
  // A turn tracked here is stopped without the registry or the bus; any other goes
  // through them, which may block on a shared store: call it off the I/O threads.
  Result<bool> Stop(const std::string& turn_id, const std::string& user_id);

  // Stops every running turn `origin` (a connection of `user_id`, connected to this
  // instance) started here. Needs neither the registry nor the bus, so it never fails.
  void StopStartedBy(const std::string& origin, const std::string& user_id);

 private:
  struct Listener;
  struct Tracked {
    std::shared_ptr<Listener> listener;
    std::unique_ptr<events::Subscription> subscription;
  };

  TurnRegistry& registry_;
  events::EventBus& bus_;
  WorkerPool& cancels_;
  std::mutex mu_;
  std::map<std::string, Tracked> tracked_;
};

}  // namespace atrium::core::chat
