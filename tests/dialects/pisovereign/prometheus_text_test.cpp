#include <gtest/gtest.h>

#include <sstream>

#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "core/metrics/shared_state_stats.hpp"
#include "dialects/pisovereign/pisovereign.hpp"

namespace atrium::dialects::pisovereign {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(PrometheusTextTest, EmptyRegistry) {
  core::metrics::RequestMetrics metrics;
  core::metrics::InferenceStats inference;
  EXPECT_EQ(PrometheusText(metrics, inference, std::chrono::seconds{0}),
            "# HELP app_uptime_seconds Application uptime in seconds\n"
            "# TYPE app_uptime_seconds gauge\n"
            "app_uptime_seconds 0\n"
            "# HELP http_requests_total Total HTTP requests by dialect, route and status class\n"
            "# TYPE http_requests_total counter\n"
            "# HELP http_requests_active Requests being served, by dialect\n"
            "# TYPE http_requests_active gauge\n"
            "# HELP http_request_duration_seconds HTTP request latency by dialect and route\n"
            "# TYPE http_request_duration_seconds histogram\n"
            "# HELP inference_requests_total LLM inference requests by outcome\n"
            "# TYPE inference_requests_total counter\n"
            "inference_requests_total{status=\"success\"} 0\n"
            "inference_requests_total{status=\"failed\"} 0\n"
            "# HELP inference_tokens_total Tokens consumed (prompt) and produced (completion) by LLM inference\n"
            "# TYPE inference_tokens_total counter\n"
            "inference_tokens_total{type=\"prompt\"} 0\n"
            "inference_tokens_total{type=\"completion\"} 0\n"
            "# HELP inference_time_seconds Inference time histogram\n"
            "# TYPE inference_time_seconds histogram\n"
            "inference_time_seconds_bucket{le=\"0.001\"} 0\n"
            "inference_time_seconds_bucket{le=\"0.002\"} 0\n"
            "inference_time_seconds_bucket{le=\"0.005\"} 0\n"
            "inference_time_seconds_bucket{le=\"0.01\"} 0\n"
            "inference_time_seconds_bucket{le=\"0.025\"} 0\n"
            "inference_time_seconds_bucket{le=\"0.05\"} 0\n"
            "inference_time_seconds_bucket{le=\"0.1\"} 0\n"
            "inference_time_seconds_bucket{le=\"0.25\"} 0\n"
            "inference_time_seconds_bucket{le=\"0.5\"} 0\n"
            "inference_time_seconds_bucket{le=\"1\"} 0\n"
            "inference_time_seconds_bucket{le=\"2.5\"} 0\n"
            "inference_time_seconds_bucket{le=\"5\"} 0\n"
            "inference_time_seconds_bucket{le=\"10\"} 0\n"
            "inference_time_seconds_bucket{le=\"+Inf\"} 0\n"
            "inference_time_seconds_sum 0\n"
            "inference_time_seconds_count 0\n");
}

TEST(PrometheusTextTest, FullExposition) {
  core::metrics::RequestMetrics metrics;
  auto* piso = metrics.Dialect("pisovereign");
  metrics.Dialect("mira");
  auto* health = metrics.Route("pisovereign", "GET", "/health");
  health->Record(200, microseconds{1500});
  health->Record(503, milliseconds{40});
  metrics.Route("mira", "POST", "/a\"b\\c\nd");  // a hostile pattern: every special character escaped
  piso->unmatched.Record(404, milliseconds{3});
  piso->active_requests = 2;

  core::metrics::InferenceStats inference;
  inference.Record(true, milliseconds{1200}, 40, 100);
  inference.Record(false, std::chrono::seconds{20}, 3, 5);

  const std::string h = R"(dialect="pisovereign",method="GET",route="/health")";
  const std::string u = R"(dialect="pisovereign",method="any",route="unmatched")";
  const std::string expected =
      "# HELP app_uptime_seconds Application uptime in seconds\n"
      "# TYPE app_uptime_seconds gauge\n"
      "app_uptime_seconds 42\n"
      "# HELP http_requests_total Total HTTP requests by dialect, route and status class\n"
      "# TYPE http_requests_total counter\n"
      "http_requests_total{" +
      h +
      ",status=\"success\"} 1\n"
      "http_requests_total{" +
      h +
      ",status=\"server_error\"} 1\n"
      R"(http_requests_total{dialect="mira",method="POST",route="/a\"b\\c\nd",status="success"} 0)"
      "\n"
      "http_requests_total{" +
      u +
      ",status=\"success\"} 0\n"
      "http_requests_total{" +
      u +
      ",status=\"client_error\"} 1\n"
      R"(http_requests_total{dialect="mira",method="any",route="unmatched",status="success"} 0)"
      "\n"
      "# HELP http_requests_active Requests being served, by dialect\n"
      "# TYPE http_requests_active gauge\n"
      "http_requests_active{dialect=\"pisovereign\"} 2\n"
      "http_requests_active{dialect=\"mira\"} 0\n"
      "# HELP http_request_duration_seconds HTTP request latency by dialect and route\n"
      "# TYPE http_request_duration_seconds histogram\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"0.001\"} 0\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"0.002\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"0.005\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"0.01\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"0.025\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"0.05\"} 2\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"0.1\"} 2\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"0.25\"} 2\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"0.5\"} 2\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"1\"} 2\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"2.5\"} 2\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"5\"} 2\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"10\"} 2\n"
      "http_request_duration_seconds_bucket{" +
      h +
      ",le=\"+Inf\"} 2\n"
      "http_request_duration_seconds_sum{" +
      h +
      "} 0.0415\n"
      "http_request_duration_seconds_count{" +
      h +
      "} 2\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"0.001\"} 0\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"0.002\"} 0\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"0.005\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"0.01\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"0.025\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"0.05\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"0.1\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"0.25\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"0.5\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"1\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"2.5\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"5\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"10\"} 1\n"
      "http_request_duration_seconds_bucket{" +
      u +
      ",le=\"+Inf\"} 1\n"
      "http_request_duration_seconds_sum{" +
      u +
      "} 0.003\n"
      "http_request_duration_seconds_count{" +
      u +
      "} 1\n"
      "# HELP inference_requests_total LLM inference requests by outcome\n"
      "# TYPE inference_requests_total counter\n"
      "inference_requests_total{status=\"success\"} 1\n"
      "inference_requests_total{status=\"failed\"} 1\n"
      "# HELP inference_tokens_total Tokens consumed (prompt) and produced (completion) by LLM inference\n"
      "# TYPE inference_tokens_total counter\n"
      "inference_tokens_total{type=\"prompt\"} 43\n"
      "inference_tokens_total{type=\"completion\"} 105\n"
      "# HELP inference_time_seconds Inference time histogram\n"
      "# TYPE inference_time_seconds histogram\n"
      "inference_time_seconds_bucket{le=\"0.001\"} 0\n"
      "inference_time_seconds_bucket{le=\"0.002\"} 0\n"
      "inference_time_seconds_bucket{le=\"0.005\"} 0\n"
      "inference_time_seconds_bucket{le=\"0.01\"} 0\n"
      "inference_time_seconds_bucket{le=\"0.025\"} 0\n"
      "inference_time_seconds_bucket{le=\"0.05\"} 0\n"
      "inference_time_seconds_bucket{le=\"0.1\"} 0\n"
      "inference_time_seconds_bucket{le=\"0.25\"} 0\n"
      "inference_time_seconds_bucket{le=\"0.5\"} 0\n"
      "inference_time_seconds_bucket{le=\"1\"} 0\n"
      "inference_time_seconds_bucket{le=\"2.5\"} 1\n"
      "inference_time_seconds_bucket{le=\"5\"} 1\n"
      "inference_time_seconds_bucket{le=\"10\"} 1\n"
      "inference_time_seconds_bucket{le=\"+Inf\"} 2\n"
      "inference_time_seconds_sum 21.2\n"
      "inference_time_seconds_count 2\n";
  EXPECT_EQ(PrometheusText(metrics, inference, std::chrono::seconds{42}), expected);
}

// Structural rules every exposition must keep, on a busier registry: each family's HELP
// and TYPE come once, before its samples; histogram buckets are cumulative and end in
// +Inf equal to _count.
TEST(PrometheusTextTest, FamiliesAndHistogramsAreWellFormed) {
  core::metrics::RequestMetrics metrics;
  for (int d = 0; d < 3; ++d) {
    const std::string dialect = "d" + std::to_string(d);
    metrics.Dialect(dialect)->unmatched.Record(404, microseconds{d * 777});
    for (int r = 0; r < 4; ++r) {
      auto* stats = metrics.Route(dialect, "GET", "/r" + std::to_string(r));
      for (int i = 0; i < 50; ++i) stats->Record(100 + 100 * (i % 5), microseconds{(i * 7919 + r) % 20000000});
    }
  }
  core::metrics::InferenceStats inference;
  const std::string text = PrometheusText(metrics, inference, std::chrono::seconds{1});
  ASSERT_FALSE(text.empty());
  ASSERT_EQ(text.back(), '\n');

  std::istringstream in(text);
  std::string line;
  std::string current_family;
  std::vector<std::string> seen_families;
  std::uint64_t last_bucket = 0;
  bool in_histogram = false;
  int histograms = 0;
  while (std::getline(in, line)) {
    ASSERT_FALSE(line.empty());
    if (line.rfind("# HELP ", 0) == 0) {
      current_family = line.substr(7, line.find(' ', 7) - 7);
      for (const auto& f : seen_families) ASSERT_NE(f, current_family) << "family repeated";
      seen_families.push_back(current_family);
      std::string type_line;
      ASSERT_TRUE(std::getline(in, type_line));
      ASSERT_EQ(type_line.rfind("# TYPE " + current_family + " ", 0), 0u) << type_line;
      continue;
    }
    ASSERT_EQ(line.rfind(current_family, 0), 0u) << "sample outside its family: " << line;
    const auto value_at = line.rfind(' ');
    ASSERT_NE(value_at, std::string::npos);
    const std::string value = line.substr(value_at + 1);
    if (line.find("_bucket{") != std::string::npos) {
      const std::uint64_t n = std::stoull(value);
      if (!in_histogram) last_bucket = 0;
      in_histogram = true;
      EXPECT_GE(n, last_bucket) << line;
      last_bucket = n;
      if (line.find("le=\"+Inf\"") != std::string::npos) {
        std::string sum_line;
        std::string count_line;
        ASSERT_TRUE(std::getline(in, sum_line));
        ASSERT_TRUE(std::getline(in, count_line));
        EXPECT_NE(sum_line.find("_sum"), std::string::npos) << sum_line;
        EXPECT_NE(count_line.find("_count"), std::string::npos) << count_line;
        EXPECT_EQ(std::stoull(count_line.substr(count_line.rfind(' ') + 1)), n) << count_line;
        in_histogram = false;
        ++histograms;
      }
    }
  }
  EXPECT_EQ(histograms, 3 * 4 + 3 + 1);  // every route, every dialect's unmatched, inference
}

TEST(PrometheusTextTest, SharedStateFamiliesOnlyWhenStateIsShared) {
  core::metrics::SharedStateStats stats;
  stats.bus_messages_out = 7;
  EXPECT_EQ(SharedStateText(stats), "");  // in process: nothing to report
  stats.enabled = true;
  stats.bus_messages_in = 5;
  stats.bus_messages_unsent = 1;
  stats.reconnects = 2;
  EXPECT_EQ(SharedStateText(stats),
            "# HELP atrium_bus_messages_total Events sent to other instances (out), received from them (in), and not "
            "sent (unsent, Redis unreachable)\n"
            "# TYPE atrium_bus_messages_total counter\n"
            "atrium_bus_messages_total{direction=\"out\"} 7\n"
            "atrium_bus_messages_total{direction=\"in\"} 5\n"
            "atrium_bus_messages_total{direction=\"unsent\"} 1\n"
            "# HELP atrium_redis_reconnects_total Redis connections re-established after a failure\n"
            "# TYPE atrium_redis_reconnects_total counter\n"
            "atrium_redis_reconnects_total 2\n");
}

}  // namespace
}  // namespace atrium::dialects::pisovereign
