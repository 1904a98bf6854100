#include "storage/redis/redis_rate_limiter.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace atrium::storage::redis {

namespace {

// KEYS[1] the bucket; ARGV[1] capacity, ARGV[2] tokens per second. Returns
// {allowed (0/1), tokens left (text), server time in unix seconds}. Times are kept in
// milliseconds, which a Lua number (a double) and tostring hold exactly.
constexpr const char* kTokenBucket = R"lua(
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
else
  tokens = math.min(capacity, tokens + math.max(0, now - at) / 1000 * rate)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%d', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return {allowed, string.format('%.17g', tokens), tonumber(t[1])}
)lua";

core::Error Malformed(const std::string& what) {
  return core::Error(core::ErrorCode::kUnavailable, "Rate limits cannot be checked", "redis rate limit: " + what);
}

std::string Number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return buf;
}

}  // namespace

RedisRateLimiter::RedisRateLimiter(RedisClient& client, std::string prefix)
    : client_(client), prefix_(std::move(prefix)), script_(kTokenBucket) {}

core::Result<core::ratelimit::RateDecision> RedisRateLimiter::Check(const core::ratelimit::RateRule& rule,
                                                                    std::string_view key) {
  const double capacity = rule.burst > 0 ? rule.burst : rule.limit;
  const double per_second =
      static_cast<double>(rule.limit) / static_cast<double>(std::max<std::int64_t>(1, rule.window.count()));
  std::string bucket = prefix_;
  bucket += "rl:";
  bucket += rule.name;
  bucket += '|';
  bucket += key;

  auto reply = client_.Eval(script_, {std::move(bucket)}, {Number(capacity), Number(per_second)});
  if (!reply) return reply.error();
  if (reply->is_error()) return Malformed(reply->text);
  if (reply->kind != RedisValue::Kind::kArray || reply->elements.size() != 3) return Malformed("unexpected reply");
  const auto& allowed = reply->elements[0];
  const auto& left = reply->elements[1];
  const auto& now = reply->elements[2];
  if (allowed.kind != RedisValue::Kind::kInteger || left.kind != RedisValue::Kind::kString ||
      now.kind != RedisValue::Kind::kInteger) {
    return Malformed("unexpected reply");
  }
  double tokens = 0;
  const auto [end, ec] = std::from_chars(left.text.data(), left.text.data() + left.text.size(), tokens);
  if (ec != std::errc{} || end != left.text.data() + left.text.size()) return Malformed("bad token count");

  core::ratelimit::RateDecision d;
  d.limit = rule.limit;
  d.window_seconds = rule.window.count();
  d.allowed = allowed.integer == 1;
  if (!d.allowed) {
    d.retry_after = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - tokens) / per_second)));
  }
  d.remaining = static_cast<int>(std::floor(tokens));
  d.reset_epoch = now.integer + static_cast<std::int64_t>(std::ceil((capacity - tokens) / per_second));
  return d;
}

}  // namespace atrium::storage::redis
