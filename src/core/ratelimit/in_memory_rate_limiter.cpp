#include "core/ratelimit/in_memory_rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace atrium::core::ratelimit {

InMemoryRateLimiter::InMemoryRateLimiter(const Clock& clock, std::size_t max_buckets)
    : clock_(clock), max_buckets_(max_buckets) {}

Result<RateDecision> InMemoryRateLimiter::Check(const RateRule& rule, std::string_view key) {
  const double capacity = rule.burst > 0 ? rule.burst : rule.limit;
  const double per_second =
      static_cast<double>(rule.limit) / static_cast<double>(std::max<std::int64_t>(1, rule.window.count()));
  const auto now = clock_.Steady();
  const auto wall = std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();

  std::string bucket_key = rule.name;
  bucket_key += '|';
  bucket_key += key;

  std::lock_guard lock(mu_);
  auto it = buckets_.find(bucket_key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_buckets_) Prune(now);
    it = buckets_.emplace(bucket_key, Bucket{capacity, now}).first;
  } else {
    const double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
    it->second.tokens = std::min(capacity, it->second.tokens + elapsed * per_second);
    it->second.updated = now;
  }
  Bucket& b = it->second;
  RateDecision d;
  d.limit = rule.limit;
  d.window_seconds = rule.window.count();
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    d.allowed = true;
  } else {
    d.allowed = false;
    d.retry_after = static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) / per_second));
    if (d.retry_after < 1) d.retry_after = 1;
  }
  d.remaining = static_cast<int>(std::floor(b.tokens));
  d.reset_epoch = wall + static_cast<std::int64_t>(std::ceil((capacity - b.tokens) / per_second));
  return d;
}

void InMemoryRateLimiter::Prune(std::chrono::steady_clock::time_point now) {
  // A bucket idle for an hour has refilled under every rule Atrium uses except the
  // hour-long ones, where forgetting it errs towards allowing.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double idle = std::chrono::duration<double>(now - it->second.updated).count();
    if (idle > 3600.0) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  if (buckets_.size() >= max_buckets_) {
    // Still full of recent buckets: drop the oldest half rather than grow without bound.
    std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> ages;
    ages.reserve(buckets_.size());
    for (const auto& [k, b] : buckets_) ages.emplace_back(b.updated, k);
    const std::size_t drop = std::max<std::size_t>(1, ages.size() / 2);
    std::nth_element(ages.begin(), ages.begin() + static_cast<std::ptrdiff_t>(drop - 1), ages.end());
    for (std::size_t i = 0; i < drop; ++i) {
      buckets_.erase(ages[i].second);
    }
  }
}

}  // namespace atrium::core::ratelimit
