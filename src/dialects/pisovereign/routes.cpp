#include <boost/json.hpp>

#include "core/health/health_service.hpp"
#include "core/metrics/request_metrics.hpp"
#include "dialects/pisovereign/chat_routes.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::pisovereign {

namespace {

std::int64_t Millis(std::chrono::microseconds us) { return us.count() / 1000; }

boost::json::object Percentiles(const core::metrics::RequestMetrics& metrics) {
  core::metrics::HistogramSnapshot all;
  for (const auto& r : metrics.Snapshot()) all.Merge(r.latency);
  auto round = [](double ms) { return static_cast<std::int64_t>(ms + 0.5); };
  return {{"p50_ms", round(all.Quantile(0.50))},
          {"p90_ms", round(all.Quantile(0.90))},
          {"p99_ms", round(all.Quantile(0.99))}};
}

}  // namespace

void AddRoutes(http::Site& site, const Deps& services) {
  site.Add(http::Method::kGet, "/health",
           [](http::Request&) -> http::Reply {
             return http::JsonReply(200, {{"status", "ok"}});
           },
           {.blocking = false, .doc = {.summary = "Liveness probe", .tag = "Health", .response_schema = "Health"}});

  // Readiness follows the inference engine, as the spec's probe does.
  site.Add(
      http::Method::kGet, "/ready",
      [&services](http::Request&) -> http::Reply {
        const auto inference = services.health.Check("inference");
        const bool ready = inference && inference->result.healthy;
        boost::json::object engine{{"healthy", ready}};
        if (inference) {
          if (!inference->result.label.empty()) engine["model"] = inference->result.label;
          engine["latency_ms"] = Millis(inference->result.latency);
          if (!inference->result.detail.empty()) engine["error"] = inference->result.detail;
        } else {
          engine["error"] = "not configured";
        }
        return http::JsonReply(ready ? 200 : 503, {{"status", ready ? "ready" : "not_ready"}, {"inference", engine}});
      },
      {.doc = {
           .summary = "Readiness probe with inference engine status", .tag = "Health", .response_schema = "Ready"}});

  site.Add(http::Method::kGet, "/ready/all",
           [&services](http::Request&) -> http::Reply {
             const auto report = services.health.CheckAll();
             boost::json::object svc;
             for (const auto& s : report.services) {
               boost::json::object entry{{"healthy", s.result.healthy}, {"latency_ms", Millis(s.result.latency)}};
               if (!s.result.detail.empty()) entry["error"] = s.result.detail;
               svc[s.name] = std::move(entry);
             }
             std::string_view status = "ready";
             if (report.status == core::health::OverallStatus::kDegraded) status = "degraded";
             if (report.status == core::health::OverallStatus::kDown) status = "not_ready";
             return http::JsonReply(200, {{"status", status},
                                          {"services", std::move(svc)},
                                          {"latency_percentiles", Percentiles(services.metrics)}});
           },
           {.doc = {.summary = "Extended health check with all service statuses",
                    .tag = "Health",
                    .response_schema = "ReadyAll"}});

  AddMetricsRoutes(site, services);
  AddSystemRoutes(site, services);
  AddCommandRoutes(site, services);
  AddWebhookRoutes(site, services);
  AddOpenApiRoutes(site, services);
  AddChatRoutes(site, services);
}

}  // namespace atrium::dialects::pisovereign
