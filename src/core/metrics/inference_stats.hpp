#pragma once
// Counters of the LLM gateway's work, kept in the core so every dialect's metrics
// endpoint reports the same numbers. The gateway records; readers snapshot.

#include <atomic>
#include <chrono>
#include <cstdint>

#include "core/metrics/latency_histogram.hpp"

namespace atrium::core::metrics {

class InferenceStats {
 public:
  // Thread-safe, wait-free.
  void Record(bool success, std::chrono::microseconds duration, std::uint64_t tokens) {
    (success ? success_ : failed_).fetch_add(1, std::memory_order_relaxed);
    tokens_.fetch_add(tokens, std::memory_order_relaxed);
    time_.Observe(duration);
  }

  std::uint64_t success() const { return success_.load(std::memory_order_relaxed); }
  std::uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }
  std::uint64_t total() const { return success() + failed(); }
  std::uint64_t tokens() const { return tokens_.load(std::memory_order_relaxed); }
  HistogramSnapshot time() const { return time_.Snapshot(); }

 private:
  std::atomic<std::uint64_t> success_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> tokens_{0};
  LatencyHistogram time_;
};

}  // namespace atrium::core::metrics
