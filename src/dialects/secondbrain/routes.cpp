#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/health/health_service.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/retrieval/retriever.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "http/api_error.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::secondbrain {

namespace {

// The spec's service names for the core's probes.
std::string_view ServiceName(std::string_view core_name) {
  if (core_name == "inference") return "llmService";
  if (core_name == "blobs") return "fileStorage";
  if (core_name == "speech_to_text") return "speechToText";  // the spec's camelCase
  if (core_name == "text_to_speech") return "textToSpeech";
  return core_name;
}

}  // namespace

void AddRoutes(http::Site& site, const Deps& services) {
  site.AddDefaultHeader("X-API-Version", kApiVersion);

  const Context ctx(services);

  // Runs every probe, so it blocks: served from a worker thread. Exempt from rate
  // limits: load balancers and monitors probe it.
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
    // Retrieval by meaning: without an embedding model, full text alone (not a fault:
    // the overall status stays as the probes say).
    const auto vectors = services.retriever.Health();
    if (!vectors.configured) {
      svc["vectorDb"] = {
          {"status", "down"}, {"latency", 0}, {"message", "no embedding model configured: full-text search only"}};
    } else {
      svc["vectorDb"] = {{"status", vectors.reachable ? "up" : "down"},
                         {"latency", vectors.latency_us / 1000},
                         {"model", vectors.model},
                         {"vectors", vectors.vectors}};
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

  AddModelRoutes(site, ctx);
  AddAuthRoutes(site, ctx);
  AddUserRoutes(site, ctx);
  AddChatRoutes(site, ctx);
  AddMemoryRoutes(site, ctx);
  AddExportRoutes(site, ctx);
  AddVoiceRoutes(site, ctx);
  AddDocumentRoutes(site, ctx);
}

}  // namespace atrium::dialects::secondbrain
