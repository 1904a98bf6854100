#include "storage/redis/redis_login_throttle.hpp"

namespace atrium::storage::redis {

namespace {

// KEYS[1] the failure count, KEYS[2] the lock; ARGV[1] max failures, ARGV[2] window
// (ms), ARGV[3] lockout (ms). The window starts at the first failure (the count's
// expiry); reaching the maximum locks and starts counting afresh.
constexpr const char* kRecordFailure = R"lua(
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if failures >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
end
return failures
)lua";

core::Error Malformed(const std::string& what) {
  return core::Error(core::ErrorCode::kUnavailable, "Login throttle unavailable", "redis login throttle: " + what);
}

std::string Millis(std::chrono::seconds s) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(s).count());
}

}  // namespace

RedisLoginThrottle::RedisLoginThrottle(RedisClient& client, std::string prefix, core::identity::ThrottleOptions options)
    : client_(client), prefix_(std::move(prefix)), options_(options), record_failure_(kRecordFailure) {}

std::string RedisLoginThrottle::Key(std::string_view kind, const std::string& account,
                                    const std::string& address) const {
  std::string key = prefix_;
  key += "login:";
  key += kind;
  key += ':';
  key += account;
  key += '\n';
  key += address;
  return key;
}

core::Result<std::int64_t> RedisLoginThrottle::LockedFor(const std::string& account, const std::string& address) {
  auto reply = client_.Run({"PTTL", Key("lock", account, address)});
  if (!reply) return reply.error();
  if (reply->kind != RedisValue::Kind::kInteger) return Malformed(reply->is_error() ? reply->text : "unexpected reply");
  if (reply->integer <= 0) return std::int64_t{0};  // -2: no lock (-1, no expiry, is never written)
  // Rounded up, so a client that waits this long finds the lock gone.
  return (reply->integer + 999) / 1000;
}

core::Result<void> RedisLoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  auto reply = client_.Eval(record_failure_, {Key("fail", account, address), Key("lock", account, address)},
                            {std::to_string(options_.max_failures), Millis(options_.window), Millis(options_.lockout)});
  if (!reply) return reply.error();
  if (reply->is_error()) return Malformed(reply->text);
  return core::Ok{};
}

core::Result<void> RedisLoginThrottle::RecordSuccess(const std::string& account, const std::string& address) {
  auto reply = client_.Run({"DEL", Key("fail", account, address), Key("lock", account, address)});
  if (!reply) return reply.error();
  if (reply->is_error()) return Malformed(reply->text);
  return core::Ok{};
}

}  // namespace atrium::storage::redis
