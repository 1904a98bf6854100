#include "core/metrics/request_metrics.hpp"

namespace atrium::core::metrics {

void RouteStats::Record(int status, std::chrono::microseconds latency) {
  const int cls = status / 100 - 1;
  if (cls >= 0 && cls < static_cast<int>(kStatusClasses)) {
    by_class_[static_cast<std::size_t>(cls)].fetch_add(1, std::memory_order_relaxed);
  }
  latency_.Observe(latency);
}

std::array<std::uint64_t, kStatusClasses> RouteStats::StatusCounts() const {
  std::array<std::uint64_t, kStatusClasses> out{};
  for (std::size_t i = 0; i < kStatusClasses; ++i) out[i] = by_class_[i].load(std::memory_order_relaxed);
  return out;
}

void MinuteRate::Add(std::int64_t now_seconds) {
  const auto slot = static_cast<std::size_t>(((now_seconds % 60) + 60) % 60);
  std::int64_t stamp = stamps_[slot].load(std::memory_order_acquire);
  if (stamp != now_seconds && stamps_[slot].compare_exchange_strong(stamp, now_seconds)) {
    // First request of a new second in this slot: the old count belongs to a past minute.
    counts_[slot].store(0, std::memory_order_relaxed);
  }
  counts_[slot].fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t MinuteRate::LastMinute(std::int64_t now_seconds) const {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    const std::int64_t stamp = stamps_[i].load(std::memory_order_acquire);
    if (stamp > now_seconds - 60 && stamp <= now_seconds) total += counts_[i].load(std::memory_order_relaxed);
  }
  return total;
}

DialectStats* RequestMetrics::Dialect(std::string_view name) {
  std::lock_guard lock(mu_);
  for (auto& d : dialects_) {
    if (d.name() == name) return &d;
  }
  return &dialects_.emplace_back(std::string(name));
}

RouteStats* RequestMetrics::Route(std::string_view dialect, std::string_view method, std::string_view pattern) {
  std::lock_guard lock(mu_);
  for (auto& e : routes_) {
    if (e.dialect == dialect && e.method == method && e.route == pattern) return &e.stats;
  }
  auto& e = routes_.emplace_back();
  e.dialect = dialect;
  e.method = method;
  e.route = pattern;
  return &e.stats;
}

std::vector<RouteSnapshot> RequestMetrics::Snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<RouteSnapshot> out;
  out.reserve(routes_.size() + dialects_.size());
  for (const auto& e : routes_) {
    out.push_back({e.dialect, e.method, e.route, e.stats.StatusCounts(), e.stats.Latency()});
  }
  for (const auto& d : dialects_) {
    out.push_back({d.name(), "", "unmatched", d.unmatched.StatusCounts(), d.unmatched.Latency()});
  }
  return out;
}

std::vector<const DialectStats*> RequestMetrics::Dialects() const {
  std::lock_guard lock(mu_);
  std::vector<const DialectStats*> out;
  for (const auto& d : dialects_) out.push_back(&d);
  return out;
}

}  // namespace atrium::core::metrics
