#pragma once
// A lock-free latency histogram with fixed millisecond buckets, shared by every route.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace atrium::core::metrics {

// Upper bounds (inclusive, milliseconds) of the finite buckets; a last bucket holds the rest.
inline constexpr std::array<double, 13> kLatencyBoundsMs = {1,   2,   5,    10,   25,   50,   100,
                                                            250, 500, 1000, 2500, 5000, 10000};

struct HistogramSnapshot {
  // counts[i] is the number of observations in bucket i (not cumulative);
  // counts.back() is the +Inf bucket.
  std::array<std::uint64_t, kLatencyBoundsMs.size() + 1> counts{};
  std::uint64_t count = 0;
  double sum_ms = 0;

  void Merge(const HistogramSnapshot& other);
  // Estimated quantile (0 < q <= 1) in milliseconds, by linear interpolation inside the
  // bucket; 0 when empty. Observations past the last bound count as that bound.
  double Quantile(double q) const;
};

class LatencyHistogram {
 public:
  // Thread-safe, wait-free.
  void Observe(std::chrono::microseconds latency);
  HistogramSnapshot Snapshot() const;

 private:
  std::array<std::atomic<std::uint64_t>, kLatencyBoundsMs.size() + 1> counts_{};
  std::atomic<std::uint64_t> sum_us_{0};
};

}  // namespace atrium::core::metrics
