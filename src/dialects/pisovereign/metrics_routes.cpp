#include <boost/json.hpp>

#include "core/health/health_service.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::pisovereign {

namespace {

// Totals over every dialect: Atrium is one process, so its HTTP numbers are too.
boost::json::object HttpTotals(const core::metrics::RequestMetrics& metrics) {
  std::uint64_t by_class[core::metrics::kStatusClasses] = {};
  core::metrics::HistogramSnapshot latency;
  boost::json::object per_dialect;
  for (const auto& r : metrics.Snapshot()) {
    for (std::size_t i = 0; i < core::metrics::kStatusClasses; ++i) by_class[i] += r.status_counts[i];
    latency.Merge(r.latency);
    auto& d = per_dialect[r.dialect];
    if (!d.is_object()) d = boost::json::object{{"requests_total", 0}};
    std::uint64_t sum = 0;
    for (auto c : r.status_counts) sum += c;
    d.as_object()["requests_total"] = d.as_object()["requests_total"].to_number<std::uint64_t>() + sum;
  }
  std::int64_t active = 0;
  for (const auto* d : metrics.Dialects()) {
    const auto a = d->active_requests.load(std::memory_order_relaxed);
    active += a;
    auto& entry = per_dialect[d->name()];
    if (!entry.is_object()) entry = boost::json::object{{"requests_total", 0}};
    entry.as_object()["active_requests"] = a;
  }
  const std::uint64_t total = by_class[0] + by_class[1] + by_class[2] + by_class[3] + by_class[4];
  const double avg = latency.count == 0 ? 0.0 : latency.sum_ms / static_cast<double>(latency.count);
  return {{"requests_total", total},
          {"requests_success", by_class[1] + by_class[2]},  // 2xx and 3xx
          {"requests_client_error", by_class[3]},
          {"requests_server_error", by_class[4]},
          {"active_requests", active},
          {"response_time_avg_ms", static_cast<std::int64_t>(avg + 0.5)},
          {"dialects", std::move(per_dialect)}};
}

// The model catalog's state rather than an upstream probe per scrape: the upstream is
// asked at most once per kFresh (through the catalog, which also serves the model
// lists), and a list older than that - a refresh failed - means unhealthy.
bool InferenceHealthy(core::llm::ModelCatalog& models) {
  constexpr auto kFresh = std::chrono::minutes(2);
  auto cached = models.Cached();
  if (!cached.configured) return false;
  if (!cached.models || cached.age > kFresh) {
    (void)models.Models();  // its outcome shows in the cache
    cached = models.Cached();
  }
  return cached.models.has_value() && cached.age <= kFresh;
}

}  // namespace

void AddMetricsRoutes(http::Site& site, const Deps& services) {
  site.Add(http::Method::kGet, "/metrics",
           [&services](http::Request&) -> http::Reply {
             const bool healthy = InferenceHealthy(services.models);
             const auto& stats = services.inference;
             const auto time = stats.time();
             const double avg = time.count == 0 ? 0.0 : time.sum_ms / static_cast<double>(time.count);
             boost::json::object engine{
                 {"requests_total", stats.total()},   {"requests_success", stats.success()},
                 {"requests_failed", stats.failed()}, {"time_avg_ms", static_cast<std::int64_t>(avg + 0.5)},
                 {"tokens_total", stats.tokens()},    {"healthy", healthy}};
             return http::JsonReply(200, {{"uptime_seconds", services.health.Uptime().count()},
                                          {"http", HttpTotals(services.metrics)},
                                          {"inference", std::move(engine)}});
           },
           {.doc = {.summary = "JSON metrics for monitoring", .tag = "Metrics", .response_schema = "Metrics"}});

  site.Add(http::Method::kGet, "/metrics/prometheus",
           [&services](http::Request&) -> http::Reply {
             return http::Response::Text(
                 200,
                 PrometheusText(services.metrics, services.inference, services.health.Uptime()) +
                     SharedStateText(services.shared_state),
                 "text/plain; version=0.0.4; charset=utf-8");
           },
           {.blocking = false,
            .doc = {.summary = "Prometheus-compatible metrics", .tag = "Metrics", .response_type = "text/plain"}});
}

}  // namespace atrium::dialects::pisovereign
