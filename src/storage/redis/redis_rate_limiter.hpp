#pragma once
// The rate limiter of several instances: one token bucket per (rule, key) in Redis,
// checked and taken by one Lua script (atomic on the server), so every instance
// together allows what the rule allows. The decision has InMemoryRateLimiter's
// semantics (limit, remaining, reset, retry_after); time is the Redis server's
// (TIME), so instances with skewed clocks still share one bucket fairly.
//
// A bucket key lives until the bucket would be full again (then it is the same as no
// key). Redis unreachable or too slow: Check fails with kUnavailable and the rule's
// FailMode decides, as for any RateLimiter.

#include <string>

#include "core/ratelimit/rate_limiter.hpp"
#include "storage/redis/redis_client.hpp"

namespace atrium::storage::redis {

class RedisRateLimiter final : public core::ratelimit::RateLimiter {
 public:
  // `client` must outlive the limiter. Keys are <prefix>rl:<rule>|<key>.
  RedisRateLimiter(RedisClient& client, std::string prefix);

  core::Result<core::ratelimit::RateDecision> Check(const core::ratelimit::RateRule& rule,
                                                    std::string_view key) override;

 private:
  RedisClient& client_;
  std::string prefix_;
  RedisScript script_;
};

}  // namespace atrium::storage::redis
