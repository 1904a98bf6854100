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
  // Thread-safe, wait-free. The tokens of one request: what it sent (prompt) and what
  // came back (completion), as the upstream reported or the gateway estimated.
  void Record(bool success, std::chrono::microseconds duration, std::uint64_t prompt_tokens,
              std::uint64_t completion_tokens) {
    (success ? success_ : failed_).fetch_add(1, std::memory_order_relaxed);
    prompt_tokens_.fetch_add(prompt_tokens, std::memory_order_relaxed);
    completion_tokens_.fetch_add(completion_tokens, std::memory_order_relaxed);
    time_.Observe(duration);
  }

  std::uint64_t success() const { return success_.load(std::memory_order_relaxed); }
  std::uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }
  std::uint64_t total() const { return success() + failed(); }
  std::uint64_t prompt_tokens() const { return prompt_tokens_.load(std::memory_order_relaxed); }
  std::uint64_t completion_tokens() const { return completion_tokens_.load(std::memory_order_relaxed); }
  std::uint64_t tokens() const { return prompt_tokens() + completion_tokens(); }
  HistogramSnapshot time() const { return time_.Snapshot(); }

 private:
  std::atomic<std::uint64_t> success_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> prompt_tokens_{0};
  std::atomic<std::uint64_t> completion_tokens_{0};
  LatencyHistogram time_;
};

}  // namespace atrium::core::metrics
