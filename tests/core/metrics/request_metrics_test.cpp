#include "core/metrics/request_metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace atrium::core::metrics {
namespace {

using std::chrono::microseconds;
using Counts = std::array<std::uint64_t, kStatusClasses>;

TEST(RouteStatsTest, CountsByStatusClass) {
  RouteStats stats;
  for (int status : {100, 101, 200, 204, 299, 301, 304, 400, 404, 422, 500, 503}) {
    stats.Record(status, microseconds{1000});
  }
  EXPECT_EQ(stats.StatusCounts(), (Counts{2, 3, 2, 3, 2}));
  EXPECT_EQ(stats.Latency().count, 12u);
}

TEST(RouteStatsTest, OutOfRangeStatusIsTimedButNotClassed) {
  RouteStats stats;
  stats.Record(99, microseconds{1000});
  stats.Record(600, microseconds{1000});
  stats.Record(0, microseconds{1000});
  EXPECT_EQ(stats.StatusCounts(), (Counts{0, 0, 0, 0, 0}));
  EXPECT_EQ(stats.Latency().count, 3u);
}

TEST(RequestMetricsTest, RouteReturnsSamePointerForSameKey) {
  RequestMetrics metrics;
  RouteStats* a = metrics.Route("unichat", "GET", "/api/health");
  EXPECT_EQ(metrics.Route("unichat", "GET", "/api/health"), a);
  EXPECT_NE(metrics.Route("unichat", "POST", "/api/health"), a);
  EXPECT_NE(metrics.Route("mira", "GET", "/api/health"), a);
  EXPECT_NE(metrics.Route("unichat", "GET", "/api/health/"), a);
}

TEST(RequestMetricsTest, PointersStayValidAsMoreAreRegistered) {
  RequestMetrics metrics;
  RouteStats* first = metrics.Route("d", "GET", "/0");
  DialectStats* dialect = metrics.Dialect("d");
  first->Record(200, microseconds{1});
  for (int i = 1; i < 200; ++i) {
    (void)metrics.Route("d", "GET", "/" + std::to_string(i));
    (void)metrics.Dialect("d" + std::to_string(i));
  }
  EXPECT_EQ(metrics.Route("d", "GET", "/0"), first);
  EXPECT_EQ(metrics.Dialect("d"), dialect);
  EXPECT_EQ(first->StatusCounts()[1], 1u);
}

TEST(RequestMetricsTest, DialectReturnsSamePointerForSameName) {
  RequestMetrics metrics;
  DialectStats* a = metrics.Dialect("mira");
  EXPECT_EQ(a->name(), "mira");
  EXPECT_EQ(metrics.Dialect("mira"), a);
  EXPECT_NE(metrics.Dialect("unichat"), a);
  const auto all = metrics.Dialects();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->name(), "mira");
  EXPECT_EQ(all[1]->name(), "unichat");
}

TEST(RequestMetricsTest, SnapshotListsRoutesThenUnmatchedPerDialect) {
  RequestMetrics metrics;
  metrics.Dialect("unichat")->unmatched.Record(404, microseconds{3000});
  metrics.Dialect("mira");
  metrics.Route("unichat", "GET", "/api/health")->Record(200, microseconds{500});
  metrics.Route("unichat", "GET", "/api/health")->Record(503, microseconds{500});
  metrics.Route("mira", "POST", "/api/v1/chat");

  const auto snap = metrics.Snapshot();
  ASSERT_EQ(snap.size(), 4u);
  EXPECT_EQ(snap[0].dialect, "unichat");
  EXPECT_EQ(snap[0].method, "GET");
  EXPECT_EQ(snap[0].route, "/api/health");
  EXPECT_EQ(snap[0].status_counts, (Counts{0, 1, 0, 0, 1}));
  EXPECT_EQ(snap[0].latency.count, 2u);

  EXPECT_EQ(snap[1].dialect, "mira");
  EXPECT_EQ(snap[1].method, "POST");
  EXPECT_EQ(snap[1].route, "/api/v1/chat");
  EXPECT_EQ(snap[1].status_counts, (Counts{0, 0, 0, 0, 0}));
  EXPECT_EQ(snap[1].latency.count, 0u);

  EXPECT_EQ(snap[2].dialect, "unichat");
  EXPECT_EQ(snap[2].method, "");
  EXPECT_EQ(snap[2].route, "unmatched");
  EXPECT_EQ(snap[2].status_counts, (Counts{0, 0, 0, 1, 0}));
  EXPECT_EQ(snap[2].latency.counts[2], 1u);  // 3 ms: (2, 5]

  EXPECT_EQ(snap[3].dialect, "mira");
  EXPECT_EQ(snap[3].route, "unmatched");
  EXPECT_EQ(snap[3].status_counts, (Counts{0, 0, 0, 0, 0}));
}

TEST(RequestMetricsTest, ConcurrentRecordingAndRegistration) {
  RequestMetrics metrics;
  RouteStats* shared = metrics.Route("d", "GET", "/x");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics, shared, t] {
      for (int i = 0; i < 500; ++i) {
        shared->Record(200, microseconds{10});
        metrics.Route("d", "GET", "/t" + std::to_string(t))->Record(404, microseconds{10});
        (void)metrics.Snapshot();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(shared->StatusCounts(), (Counts{0, 2000, 0, 0, 0}));
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(metrics.Route("d", "GET", "/t" + std::to_string(t))->StatusCounts(), (Counts{0, 0, 0, 500, 0}));
  }
}

TEST(MinuteRateTest, CountsWithinTheLastSixtySeconds) {
  MinuteRate rate;
  EXPECT_EQ(rate.LastMinute(1000), 0u);
  rate.Add(1000);
  rate.Add(1000);
  rate.Add(1000);
  rate.Add(1001);
  rate.Add(1030);
  EXPECT_EQ(rate.LastMinute(1030), 5u);
  EXPECT_EQ(rate.LastMinute(1059), 5u);  // 1000 is 59 s old: still inside
  EXPECT_EQ(rate.LastMinute(1060), 2u);  // 1000 is 60 s old: expired
  EXPECT_EQ(rate.LastMinute(1061), 1u);
  EXPECT_EQ(rate.LastMinute(1089), 1u);
  EXPECT_EQ(rate.LastMinute(1090), 0u);
}

TEST(MinuteRateTest, FutureStampsAreNotCounted) {
  MinuteRate rate;
  rate.Add(1000);
  rate.Add(1010);
  EXPECT_EQ(rate.LastMinute(1005), 1u);
  EXPECT_EQ(rate.LastMinute(999), 0u);
}

TEST(MinuteRateTest, ReusedSlotStartsFromZero) {
  MinuteRate rate;
  rate.Add(1000);
  rate.Add(1000);
  rate.Add(1060);  // same slot, a minute later: the old two are gone
  EXPECT_EQ(rate.LastMinute(1060), 1u);
  rate.Add(1060);
  EXPECT_EQ(rate.LastMinute(1060), 2u);
}

TEST(MinuteRateTest, FullWindow) {
  MinuteRate rate;
  for (std::int64_t s = 2000; s < 2060; ++s) rate.Add(s);
  EXPECT_EQ(rate.LastMinute(2059), 60u);
  rate.Add(2060);
  EXPECT_EQ(rate.LastMinute(2060), 60u);
}

}  // namespace
}  // namespace atrium::core::metrics
