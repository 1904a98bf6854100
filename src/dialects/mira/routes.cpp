#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/health/health_service.hpp"
#include "core/metrics/request_metrics.hpp"
#include "dialects/mira/mira.hpp"
#include "dialects/mira/network_socket.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::mira {

namespace {

// The spec's service names for the core's probes.
std::string_view ServiceName(std::string_view core_name) {
  if (core_name == "inference") return "ai_models";
  if (core_name == "blobs") return "storage";
  if (core_name == "speech_to_text") return "audio_processing";  // the spec's name for it
  if (core_name == "text_to_speech") return "speech_synthesis";
  return core_name;
}

}  // namespace

void AddRoutes(http::Site& site, const Deps& services) {
  site.AddDefaultHeader("API-Version", "v1");

  site.Add(http::Method::kGet, "/api/v1/health", [&services, &site](http::Request&) -> http::Reply {
    const auto report = services.health.CheckAll();
    boost::json::object svc;
    for (const auto& s : report.services) {
      std::string_view state = "healthy";
      if (!s.result.healthy) state = s.result.detail == "not configured" ? "not_configured" : "unhealthy";
      svc[ServiceName(s.name)] = state;
    }
    std::string_view status = "healthy";
    if (report.status == core::health::OverallStatus::kDegraded) status = "degraded";
    if (report.status == core::health::OverallStatus::kDown) status = "unhealthy";
    const auto now_s =
        std::chrono::duration_cast<std::chrono::seconds>(services.clock.Steady().time_since_epoch()).count();
    std::uint64_t per_minute = 0;
    for (const auto* d : services.metrics.Dialects()) {
      if (d->name() == site.name()) per_minute = d->rate.LastMinute(now_s);
    }
    boost::json::object body{{"status", status},
                             {"timestamp", core::FormatRfc3339(services.clock.Now())},
                             {"services", std::move(svc)},
                             {"metrics", {{"requests_per_minute", per_minute}}}};
    return http::JsonReply(report.status == core::health::OverallStatus::kDown ? 503 : 200, body);
  });

  // No network store exists yet: every network is unknown (see network_socket.hpp).
  AddNetworkSocketRoute(site, services, [](std::string_view) { return false; });
}

}  // namespace atrium::dialects::mira
