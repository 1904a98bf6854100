#pragma once
// The running turns a user may stop by id (unichat's stop_generation and
// arena_stop_generation): each entry says whose turn an id is and which connection
// started it (its "origin", e.g. a Socket.IO socket id; for people reading the store).
// An entry holds no handle on the turn, which may run on another instance: stopping
// goes through the bus (RunningTurns, TurnCancelRequested). The turns a connection
// started run where it is connected, so ending them needs no registry (RunningTurns).
//
// TurnRegistry is the interface (in memory today: InMemoryTurnRegistry; a store shared
// by instances next). Every call can fail (the store is unreachable). The registry
// fails CLOSED (kOnFailure): a stop whose lookup fails stops nothing and is answered
// as "no generation in progress", and a turn that could not be registered cannot be
// stopped by id. Turns themselves are never refused because of it.

#include <string>

#include "core/fail_mode.hpp"
#include "core/result.hpp"

namespace atrium::core::chat {

struct RunningTurn {
  std::string user_id;
  std::string origin;
};

// Thread-safe.
class TurnRegistry {
 public:
  static constexpr FailMode kOnFailure = FailMode::kClosed;

  virtual ~TurnRegistry() = default;

  // Registers (or replaces) the running turn `turn_id`.
  virtual Result<void> Add(const std::string& turn_id, RunningTurn turn) = 0;
  // Whether `turn_id` is running and is `user_id`'s (false for another user's).
  virtual Result<bool> IsRunning(const std::string& turn_id, const std::string& user_id) = 0;
  // Forgets `turn_id` (its turn ended); unknown ids are fine.
  virtual Result<void> Remove(const std::string& turn_id) = 0;
};

}  // namespace atrium::core::chat
