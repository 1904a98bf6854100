#pragma once
// The turn registry of a single instance: entries in this process's memory. Its calls
// fail only at its memory bound: past `max_entries`, Add refuses (kResourceExhausted),
// and the turn runs on but cannot be stopped by id (closed). Entries go when their turn
// ends (RunningTurns::End).

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include "core/chat/turn_registry.hpp"

namespace atrium::core::chat {

class InMemoryTurnRegistry final : public TurnRegistry {
 public:
  explicit InMemoryTurnRegistry(std::size_t max_entries = 100000) : max_entries_(max_entries) {}

  Result<void> Add(const std::string& turn_id, RunningTurn turn) override;
  Result<bool> IsRunning(const std::string& turn_id, const std::string& user_id) override;
  Result<void> Remove(const std::string& turn_id) override;

  std::size_t size() const;

 private:
  std::size_t max_entries_;
  mutable std::mutex mu_;
  std::map<std::string, RunningTurn> turns_;
};

}  // namespace atrium::core::chat
