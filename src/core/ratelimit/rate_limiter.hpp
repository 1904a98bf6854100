#pragma once
// One token-bucket engine for every dialect's limits. A rule says how many requests a
// window allows and how many may come at once (the burst); a key says whose bucket it
// is ("user:<id>", "ip:<addr>", "key:<hash>", "network:<id>"). Buckets refill
// continuously at limit/window.
//
// RateLimiter is the interface (in memory today: InMemoryRateLimiter; a store shared
// by instances next). Its check can fail (the store is unreachable); each rule then
// says how it fails: open (allowed, no headers) or closed (refused as unavailable).
// Rules fail open unless they guard credentials against guessing.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/fail_mode.hpp"
#include "core/result.hpp"

namespace atrium::core::ratelimit {

struct RateRule {
  std::string name;  // the route class: "login", "chat", "general"
  int limit = 60;    // requests per window
  std::chrono::seconds window{60};
  int burst = 0;  // bucket capacity; 0 means `limit`
  // What a failed check decides for this rule (see FailMode).
  FailMode on_failure = FailMode::kOpen;
};

struct RateDecision {
  bool allowed = true;
  int limit = 0;
  int remaining = 0;
  std::int64_t reset_epoch = 0;  // when the bucket is full again (unix seconds)
  std::int64_t retry_after = 0;  // seconds until one request is allowed (0 when allowed)
  std::int64_t window_seconds = 0;
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;

  // Thread-safe. Takes one token from the (rule, key) bucket when one is there. Fails
  // (kUnavailable) only when the limiter's state cannot be read or written; the caller
  // then applies `rule.on_failure`. A refusal is a decision, not a failure.
  virtual Result<RateDecision> Check(const RateRule& rule, std::string_view key) = 0;
};

// Whether a check lets the request through: allowed, or failed under a rule that fails open.
inline bool Passes(const RateRule& rule, const Result<RateDecision>& checked) {
  return checked ? checked->allowed : rule.on_failure == FailMode::kOpen;
}

}  // namespace atrium::core::ratelimit
