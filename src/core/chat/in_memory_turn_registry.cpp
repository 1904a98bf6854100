#include "core/chat/in_memory_turn_registry.hpp"

#include <utility>

namespace atrium::core::chat {

Result<void> InMemoryTurnRegistry::Add(const std::string& turn_id, RunningTurn turn) {
  std::lock_guard lock(mu_);
  if (turns_.size() >= max_entries_ && !turns_.contains(turn_id)) {
    return Error(ErrorCode::kResourceExhausted, "Too many running generations", "turn registry full");
  }
  turns_[turn_id] = std::move(turn);
  return Ok{};
}

Result<bool> InMemoryTurnRegistry::IsRunning(const std::string& turn_id, const std::string& user_id) {
  std::lock_guard lock(mu_);
  const auto it = turns_.find(turn_id);
  return it != turns_.end() && it->second.user_id == user_id;
}

Result<void> InMemoryTurnRegistry::Remove(const std::string& turn_id) {
  std::lock_guard lock(mu_);
  turns_.erase(turn_id);
  return Ok{};
}

std::size_t InMemoryTurnRegistry::size() const {
  std::lock_guard lock(mu_);
  return turns_.size();
}

}  // namespace atrium::core::chat
