#include "storage/redis/redis_turn_registry.hpp"

namespace atrium::storage::redis {

namespace {

// KEYS[1] the turn; ARGV[1] user, ARGV[2] origin, ARGV[3] ttl (s), ARGV[4] the origin
// set's key prefix. A replaced entry leaves its old origin's set.
constexpr const char* kAdd = R"lua(
local old = redis.call('HGET', KEYS[1], 'origin')
if old and old ~= ARGV[2] then redis.call('SREM', ARGV[4] .. old, KEYS[1]) end
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'origin', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', ARGV[4] .. ARGV[2], KEYS[1])
redis.call('EXPIRE', ARGV[4] .. ARGV[2], ARGV[3])
return 1
)lua";

// KEYS[1] the turn; ARGV[1] the origin set's key prefix.
constexpr const char* kRemove = R"lua(
local origin = redis.call('HGET', KEYS[1], 'origin')
if origin then redis.call('SREM', ARGV[1] .. origin, KEYS[1]) end
redis.call('DEL', KEYS[1])
return 1
)lua";

// KEYS[1] the origin's set; ARGV[1] the origin. Returns the turn keys removed (those
// still started by that origin).
constexpr const char* kTake = R"lua(
local turns = redis.call('SMEMBERS', KEYS[1])
local taken = {}
for _, key in ipairs(turns) do
  if redis.call('HGET', key, 'origin') == ARGV[1] then
    redis.call('DEL', key)
    taken[#taken + 1] = key
  end
end
redis.call('DEL', KEYS[1])
return taken
)lua";

core::Error Malformed(const std::string& what) {
  return core::Error(core::ErrorCode::kUnavailable, "Running generations cannot be looked up",
                     "redis turn registry: " + what);
}

}  // namespace

RedisTurnRegistry::RedisTurnRegistry(RedisClient& client, std::string prefix, std::chrono::seconds ttl)
    : client_(client), prefix_(std::move(prefix)), ttl_(ttl), add_(kAdd), remove_(kRemove), take_(kTake) {}

core::Result<void> RedisTurnRegistry::Add(const std::string& turn_id, core::chat::RunningTurn turn) {
  auto reply = client_.Eval(add_, {TurnKey(turn_id)},
                            {turn.user_id, turn.origin, std::to_string(ttl_.count()), prefix_ + "turn_origin:"});
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
  auto reply = client_.Eval(remove_, {TurnKey(turn_id)}, {prefix_ + "turn_origin:"});
  if (!reply) return reply.error();
  if (reply->is_error()) return Malformed(reply->text);
  return core::Ok{};
}

core::Result<std::vector<std::string>> RedisTurnRegistry::TakeStartedBy(const std::string& origin) {
  auto reply = client_.Eval(take_, {OriginKey(origin)}, {origin});
  if (!reply) return reply.error();
  if (reply->kind != RedisValue::Kind::kArray) return Malformed(reply->is_error() ? reply->text : "unexpected reply");
  const std::string key_prefix = prefix_ + "turn:";
  std::vector<std::string> ids;
  ids.reserve(reply->elements.size());
  for (const auto& key : reply->elements) {
    if (key.text.starts_with(key_prefix)) ids.push_back(key.text.substr(key_prefix.size()));
  }
  return ids;
}

}  // namespace atrium::storage::redis
