#include "storage/redis/redis_turn_registry.hpp"

namespace atrium::storage::redis {

namespace {

// KEYS[1] the turn; ARGV[1] user, ARGV[2] origin, ARGV[3] ttl (s): set and expiring in
// one step, so an entry never outlives its ttl.
constexpr const char* kAdd = R"lua(
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'origin', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
)lua";

core::Error Malformed(const std::string& what) {
  return core::Error(core::ErrorCode::kUnavailable, "Running generations cannot be looked up",
                     "redis turn registry: " + what);
}

}  // namespace

RedisTurnRegistry::RedisTurnRegistry(RedisClient& client, std::string prefix, std::chrono::seconds ttl)
    : client_(client), prefix_(std::move(prefix)), ttl_(ttl), add_(kAdd) {}

core::Result<void> RedisTurnRegistry::Add(const std::string& turn_id, core::chat::RunningTurn turn) {
  auto reply = client_.Eval(add_, {TurnKey(turn_id)}, {turn.user_id, turn.origin, std::to_string(ttl_.count())});
  if (!reply) return reply.error();
  if (reply->is_error()) return Malformed(reply->text);
  return core::Ok{};
}

core::Result<bool> RedisTurnRegistry::IsRunning(const std::string& turn_id, const std::string& user_id) {
  auto reply = client_.Run({"HGET", TurnKey(turn_id), "user"});
  if (!reply) return reply.error();
  if (reply->is_error()) return Malformed(reply->text);
  return reply->kind == RedisValue::Kind::kString && reply->text == user_id;
}

core::Result<void> RedisTurnRegistry::Remove(const std::string& turn_id) {
  auto reply = client_.Run({"DEL", TurnKey(turn_id)});
  if (!reply) return reply.error();
  if (reply->is_error()) return Malformed(reply->text);
  return core::Ok{};
}

}  // namespace atrium::storage::redis
