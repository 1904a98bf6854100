#include <boost/json.hpp>

#include "dialects/secondbrain/secondbrain.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::secondbrain {

namespace {

// The spec's service names for the core's probes.
std::string_view ServiceName(std::string_view core_name) {
  if (core_name == "inference") return "llmService";
  if (core_name == "blobs") return "fileStorage";
  return core_name;
}

// Registers `path` under /api and /api/v1.
void AddApi(http::Site& site, http::Method method, std::string_view path, http::Handler handler,
            http::RouteOptions options = {}) {
  site.Add(method, "/api" + std::string(path), handler, options);
  site.Add(method, "/api/v1" + std::string(path), std::move(handler), options);
}

}  // namespace

void AddRoutes(http::Site& site, const Services& services) {
  site.AddDefaultHeader("X-API-Version", kApiVersion);

  // Runs every probe, so it blocks: served from a worker thread.
  AddApi(site, http::Method::kGet, "/health", [&services](http::Request&) -> http::Reply {
    const auto report = services.health.CheckAll();
    boost::json::object svc;
    svc["api"] = {{"status", "up"}, {"latency", 0}};
    for (const auto& s : report.services) {
      boost::json::object entry{{"status", s.result.healthy ? "up" : "down"},
                                {"latency", s.result.latency.count() / 1000}};
      if (!s.result.detail.empty()) entry["message"] = s.result.detail;
      svc[ServiceName(s.name)] = std::move(entry);
    }
    std::string_view status = "healthy";
    if (report.status == core::health::OverallStatus::kDegraded) status = "degraded";
    if (report.status == core::health::OverallStatus::kDown) status = "down";
    boost::json::object body{{"status", status},
                             {"timestamp", core::FormatRfc3339(services.clock.Now(), 3)},
                             {"services", std::move(svc)},
                             {"version", services.health.version()},
                             {"uptime", services.health.Uptime().count()}};
    return http::JsonReply(report.status == core::health::OverallStatus::kDown ? 503 : 200, body);
  });
}

}  // namespace atrium::dialects::secondbrain
