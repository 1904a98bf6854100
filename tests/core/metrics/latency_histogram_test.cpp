#include "core/metrics/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace atrium::core::metrics {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr std::size_t kInf = kLatencyBoundsMs.size();  // index of the +Inf bucket

std::size_t BucketOf(microseconds latency) {
  LatencyHistogram h;
  h.Observe(latency);
  const auto s = h.Snapshot();
  for (std::size_t i = 0; i < s.counts.size(); ++i) {
    if (s.counts[i] == 1) return i;
  }
  return 999;
}

TEST(LatencyHistogramTest, BoundsAreInclusive) {
  EXPECT_EQ(BucketOf(microseconds{0}), 0u);
  EXPECT_EQ(BucketOf(microseconds{1000}), 0u);  // exactly 1 ms: the "le 1" bucket
  EXPECT_EQ(BucketOf(microseconds{1001}), 1u);
  EXPECT_EQ(BucketOf(milliseconds{2}), 1u);
  EXPECT_EQ(BucketOf(microseconds{2001}), 2u);
  EXPECT_EQ(BucketOf(milliseconds{5}), 2u);
  EXPECT_EQ(BucketOf(milliseconds{100}), 6u);
  EXPECT_EQ(BucketOf(microseconds{100001}), 7u);
  EXPECT_EQ(BucketOf(milliseconds{10000}), 12u);
  EXPECT_EQ(BucketOf(microseconds{10000001}), kInf);
  EXPECT_EQ(BucketOf(std::chrono::hours{1}), kInf);
}

TEST(LatencyHistogramTest, NegativeLatencyCountsInFirstBucketAndAddsNothingToSum) {
  LatencyHistogram h;
  h.Observe(microseconds{-5000});
  const auto s = h.Snapshot();
  EXPECT_EQ(s.counts[0], 1u);
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.sum_ms, 0.0);
}

TEST(LatencyHistogramTest, SnapshotCountsAndSum) {
  LatencyHistogram h;
  h.Observe(microseconds{500});
  h.Observe(microseconds{1500});
  h.Observe(microseconds{30000});
  const auto s = h.Snapshot();
  EXPECT_EQ(s.count, 3u);
  EXPECT_DOUBLE_EQ(s.sum_ms, 32.0);
  EXPECT_EQ(s.counts[0], 1u);
  EXPECT_EQ(s.counts[1], 1u);
  EXPECT_EQ(s.counts[5], 1u);  // (25, 50]
  std::uint64_t total = 0;
  for (auto c : s.counts) total += c;
  EXPECT_EQ(total, 3u);
}

TEST(LatencyHistogramTest, ConcurrentObserversLoseNothing) {
  LatencyHistogram h;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h] {
      for (int i = 0; i < 1000; ++i) h.Observe(microseconds{1000});
    });
  }
  for (auto& t : threads) t.join();
  const auto s = h.Snapshot();
  EXPECT_EQ(s.count, 4000u);
  EXPECT_EQ(s.counts[0], 4000u);
  EXPECT_DOUBLE_EQ(s.sum_ms, 4000.0);
}

TEST(HistogramSnapshotTest, QuantileOfEmptyIsZero) {
  const HistogramSnapshot s;
  EXPECT_EQ(s.Quantile(0.5), 0.0);
  EXPECT_EQ(s.Quantile(0.99), 0.0);
}

TEST(HistogramSnapshotTest, QuantileInterpolatesInsideFirstBucket) {
  HistogramSnapshot s;
  s.counts[0] = 10;
  s.count = 10;
  EXPECT_DOUBLE_EQ(s.Quantile(0.5), 0.5);
  EXPECT_DOUBLE_EQ(s.Quantile(0.1), 0.1);
  EXPECT_DOUBLE_EQ(s.Quantile(1.0), 1.0);
}

TEST(HistogramSnapshotTest, QuantileInterpolatesBetweenBounds) {
  HistogramSnapshot s;
  s.counts[2] = 4;  // (2, 5]
  s.count = 4;
  EXPECT_DOUBLE_EQ(s.Quantile(0.5), 3.5);
  EXPECT_DOUBLE_EQ(s.Quantile(0.25), 2.75);
  EXPECT_DOUBLE_EQ(s.Quantile(1.0), 5.0);
}

TEST(HistogramSnapshotTest, QuantileAcrossBuckets) {
  HistogramSnapshot s;
  s.counts[0] = 2;  // [0, 1]
  s.counts[3] = 2;  // (5, 10]
  s.count = 4;
  EXPECT_DOUBLE_EQ(s.Quantile(0.5), 1.0);   // rank 2 ends the first bucket
  EXPECT_DOUBLE_EQ(s.Quantile(0.75), 7.5);  // rank 3: half way through (5, 10]
  EXPECT_DOUBLE_EQ(s.Quantile(1.0), 10.0);
}

TEST(HistogramSnapshotTest, QuantileClampsQ) {
  HistogramSnapshot s;
  s.counts[3] = 2;
  s.count = 2;
  EXPECT_DOUBLE_EQ(s.Quantile(7.0), 10.0);
}

TEST(HistogramSnapshotTest, OverflowCountsAsLastBound) {
  HistogramSnapshot s;
  s.counts[0] = 1;
  s.counts[kInf] = 1;
  s.count = 2;
  EXPECT_DOUBLE_EQ(s.Quantile(0.5), 1.0);
  EXPECT_DOUBLE_EQ(s.Quantile(0.99), 10000.0);
}

TEST(HistogramSnapshotTest, MergeAddsCountsCountAndSum) {
  LatencyHistogram a;
  a.Observe(microseconds{500});
  a.Observe(milliseconds{7});
  LatencyHistogram b;
  b.Observe(milliseconds{7});
  b.Observe(std::chrono::seconds{20});

  HistogramSnapshot merged = a.Snapshot();
  merged.Merge(b.Snapshot());
  EXPECT_EQ(merged.count, 4u);
  EXPECT_DOUBLE_EQ(merged.sum_ms, 0.5 + 7 + 7 + 20000);
  EXPECT_EQ(merged.counts[0], 1u);
  EXPECT_EQ(merged.counts[3], 2u);
  EXPECT_EQ(merged.counts[kInf], 1u);

  HistogramSnapshot empty;
  empty.Merge(merged);
  EXPECT_EQ(empty.counts, merged.counts);
  EXPECT_EQ(empty.count, merged.count);
  EXPECT_DOUBLE_EQ(empty.sum_ms, merged.sum_ms);
}

}  // namespace
}  // namespace atrium::core::metrics
