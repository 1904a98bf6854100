#pragma once
// The rate limiter of a single instance: buckets in this process's memory. Its check
// never fails; limits are per instance (N instances allow N times the rule).

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/ratelimit/rate_limiter.hpp"

namespace atrium::core::ratelimit {

class InMemoryRateLimiter final : public RateLimiter {
 public:
  // `max_buckets` bounds memory: full (idle) buckets are dropped first when it is hit.
  explicit InMemoryRateLimiter(const Clock& clock, std::size_t max_buckets = 200000);

  Result<RateDecision> Check(const RateRule& rule, std::string_view key) override;

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
