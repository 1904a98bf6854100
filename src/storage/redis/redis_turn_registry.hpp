#pragma once
// The running-turn registry of several instances, in Redis: a stop_generation received
// by any instance finds the turn wherever it runs (the stop itself travels over the
// bus, RunningTurns). Each entry is a hash <prefix>turn:<id> {user, origin} that
// expires after `ttl`, so the entries of an instance that died (and never called
// Remove) go by themselves. A turn
// running longer than `ttl` can no longer be stopped by id.
//
// Redis unreachable: every call fails with kUnavailable, and callers apply
// TurnRegistry::kOnFailure (closed).

#include <chrono>
#include <string>

#include "core/chat/turn_registry.hpp"
#include "storage/redis/redis_client.hpp"

namespace atrium::storage::redis {

class RedisTurnRegistry final : public core::chat::TurnRegistry {
 public:
  // `client` must outlive the registry.
  RedisTurnRegistry(RedisClient& client, std::string prefix, std::chrono::seconds ttl = std::chrono::hours(6));

  core::Result<void> Add(const std::string& turn_id, core::chat::RunningTurn turn) override;
  core::Result<bool> IsRunning(const std::string& turn_id, const std::string& user_id) override;
  core::Result<void> Remove(const std::string& turn_id) override;

 private:
  std::string TurnKey(const std::string& turn_id) const { return prefix_ + "turn:" + turn_id; }

  RedisClient& client_;
  std::string prefix_;
  std::chrono::seconds ttl_;
  RedisScript add_;
};

}  // namespace atrium::storage::redis
