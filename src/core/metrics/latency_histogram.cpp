#include "core/metrics/latency_histogram.hpp"

#include <algorithm>

namespace atrium::core::metrics {

void HistogramSnapshot::Merge(const HistogramSnapshot& other) {
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
  count += other.count;
  sum_ms += other.sum_ms;
}

double HistogramSnapshot::Quantile(double q) const {
  if (count == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const double rank = q * static_cast<double>(count);
  double seen = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double in_bucket = static_cast<double>(counts[i]);
    if (in_bucket > 0 && seen + in_bucket >= rank) {
      if (i == kLatencyBoundsMs.size()) return kLatencyBoundsMs.back();
      const double lower = i == 0 ? 0.0 : kLatencyBoundsMs[i - 1];
      const double upper = kLatencyBoundsMs[i];
      return lower + (upper - lower) * ((rank - seen) / in_bucket);
    }
    seen += in_bucket;
  }
  return kLatencyBoundsMs.back();
}

void LatencyHistogram::Observe(std::chrono::microseconds latency) {
  const double ms = static_cast<double>(latency.count()) / 1000.0;
  const auto it = std::lower_bound(kLatencyBoundsMs.begin(), kLatencyBoundsMs.end(), ms);
  const auto index = static_cast<std::size_t>(it - kLatencyBoundsMs.begin());
  counts_[index].fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(0, latency.count())), std::memory_order_relaxed);
}

HistogramSnapshot LatencyHistogram::Snapshot() const {
  HistogramSnapshot s;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    s.counts[i] = counts_[i].load(std::memory_order_relaxed);
    s.count += s.counts[i];
  }
  s.sum_ms = static_cast<double>(sum_us_.load(std::memory_order_relaxed)) / 1000.0;
  return s;
}

}  // namespace atrium::core::metrics
