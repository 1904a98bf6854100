#pragma once
// One token-bucket engine for every dialect's limits. A rule says how many requests a
// window allows and how many may come at once (the burst); a key says whose bucket it
// is ("user:<id>", "ip:<addr>", "key:<hash>", "network:<id>"). Buckets refill
// continuously at limit/window.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace atrium::core::ratelimit {

struct RateRule {
  std::string name;  // the route class: "login", "chat", "general"
  int limit = 60;    // requests per window
  std::chrono::seconds window{60};
  int burst = 0;  // bucket capacity; 0 means `limit`
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
  // `max_buckets` bounds memory: full (idle) buckets are dropped first when it is hit.
  explicit RateLimiter(const Clock& clock, std::size_t max_buckets = 200000);

  // Thread-safe. Takes one token from the (rule, key) bucket when one is there.
  RateDecision Check(const RateRule& rule, std::string_view key);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated{};
  };
  void Prune(std::chrono::steady_clock::time_point now);

  const Clock& clock_;
  std::size_t max_buckets_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace atrium::core::ratelimit
