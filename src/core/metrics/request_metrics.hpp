#pragma once
// Request counters and latency histograms per dialect and route, plus a per-dialect
// gauge of requests in flight and a one-minute request rate. Routes are registered once
// at wiring time; recording afterwards takes no lock.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics/latency_histogram.hpp"

namespace atrium::core::metrics {

// Status classes counted per route: index 0 is 1xx ... index 4 is 5xx.
inline constexpr std::size_t kStatusClasses = 5;

class RouteStats {
 public:
  void Record(int status, std::chrono::microseconds latency);

  std::array<std::uint64_t, kStatusClasses> StatusCounts() const;
  HistogramSnapshot Latency() const { return latency_.Snapshot(); }

 private:
  std::array<std::atomic<std::uint64_t>, kStatusClasses> by_class_{};
  LatencyHistogram latency_;
};

// Counts requests per second over the last minute in a ring of 60 slots.
class MinuteRate {
 public:
  void Add(std::int64_t now_seconds);
  std::uint64_t LastMinute(std::int64_t now_seconds) const;

 private:
  std::array<std::atomic<std::uint64_t>, 60> counts_{};
  std::array<std::atomic<std::int64_t>, 60> stamps_{};
};

struct RouteSnapshot {
  std::string dialect;
  std::string method;
  std::string route;  // the route pattern, or "unmatched"
  std::array<std::uint64_t, kStatusClasses> status_counts{};
  HistogramSnapshot latency;
};

class DialectStats {
 public:
  explicit DialectStats(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  std::atomic<std::int64_t> active_requests{0};
  MinuteRate rate;
  RouteStats unmatched;

 private:
  std::string name_;
};

// Thread-safe. Pointers returned by the registration calls stay valid for the
// registry's lifetime.
class RequestMetrics {
 public:
  DialectStats* Dialect(std::string_view name);
  RouteStats* Route(std::string_view dialect, std::string_view method, std::string_view pattern);

  std::vector<RouteSnapshot> Snapshot() const;
  std::vector<const DialectStats*> Dialects() const;

 private:
  struct Entry {
    std::string dialect, method, route;
    RouteStats stats;
  };
  mutable std::mutex mu_;  // guards registration and iteration, never recording
  std::deque<Entry> routes_;
  std::deque<DialectStats> dialects_;
};

}  // namespace atrium::core::metrics
