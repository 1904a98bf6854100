// /v1/system/status (version, uptime, resources and statistics) and /v1/system/models
// (the upstream's models), behind an API key.

#include <boost/json.hpp>
#include <set>

#include "core/health/health_service.hpp"
#include "core/llm/gateway.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "core/system/process_stats.hpp"
#include "dialects/common/auth.hpp"
#include "dialects/common/rate_limit.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "dialects/settings.hpp"
#include "http/api_error.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::pisovereign {

namespace {

double Round1(double v) { return static_cast<double>(static_cast<std::int64_t>(v * 10.0 + 0.5)) / 10.0; }

}  // namespace

http::Handler Protected(const Deps& services, ProtectedHandler handler) {
  const core::ratelimit::RateRule rule{"pisovereign.api", services.settings.pisovereign_rate_limit_rpm,
                                       std::chrono::seconds(60), services.settings.pisovereign_rate_limit_rpm};
  return [&services, rule, handler = std::move(handler)](http::Request& req) -> http::Reply {
    // Per address, as the spec says; checked before the key so guessing keys costs budget.
    return Limited(services, rule, "ip:" + req.client_address, false, "Too many requests", [&]() -> http::Reply {
      auto who = AuthenticateApiKey(services, req);
      if (!who) {
        http::ApiError denied = std::move(who).error();
        if (denied.kind == http::ErrorKind::kUnauthorized) denied.message = "Invalid or missing API key";
        return denied;
      }
      return handler(req, *who);
    });
  };
}

void AddSystemRoutes(http::Site& site, const Deps& services) {
  site.Add(http::Method::kGet, "/v1/system/status",
           Protected(services,
                     [&services](http::Request&, const core::identity::Principal&) -> http::Reply {
                       const auto uptime = services.health.Uptime().count();
                       const auto sample = core::system::SampleProcess();
                       const double cpu_percent =
                           uptime > 0 ? Round1(100.0 * sample.cpu_seconds / static_cast<double>(uptime)) : 0.0;
                       std::uint64_t requests = 0;
                       for (const auto& r : services.metrics.Snapshot()) {
                         for (auto c : r.status_counts) requests += c;
                       }
                       const auto db_bytes = services.settings.database_bytes
                                                 ? services.settings.database_bytes()
                                                 : core::system::DirectoryBytes(services.settings.data_dir);
                       return http::JsonReply(
                           200,
                           {{"version", services.health.version()},
                            {"uptime_seconds", uptime},
                            {"environment", services.settings.pisovereign_environment},
                            {"resources",
                             {{"memory_used_mb", Round1(static_cast<double>(sample.rss_bytes) / (1024.0 * 1024.0))},
                              {"cpu_percent", cpu_percent},
                              {"database_size_mb", Round1(static_cast<double>(db_bytes) / (1024.0 * 1024.0))}}},
                            // No response cache exists yet, so there is no hit rate to report.
                            {"statistics",
                             {{"requests_total", requests},
                              {"inference_requests", services.inference.total()},
                              {"cache_hit_rate", nullptr}}}});
                     }),
           {.doc = {.summary = "System status and resource usage",
                    .tag = "System",
                    .response_schema = "SystemStatus",
                    .secured = true}});

  // Every configured upstream's models: the ones /v1/chat accepts. Blocks on an
  // upstream whose catalog cache is cold. The upstream does not say a model's parameter
  // count, so "parameters" stays null.
  site.Add(http::Method::kGet, "/v1/system/models",
           Protected(services,
                     [&services](http::Request&, const core::identity::Principal&) -> http::Reply {
                       const bool gateway = services.gateway.configured();
                       auto models = gateway ? services.gateway.Models() : services.models.Models();
                       if (!models) return http::FromCoreError(models.error());
                       // One default, the model chat uses when none is named; an id two
                       // upstreams list is served by the first, so it is listed once.
                       const std::string fallback = gateway ? services.gateway.DefaultModel() : std::string();
                       std::set<std::string> seen;
                       boost::json::array list;
                       for (const auto& m : *models) {
                         if (!seen.insert(m.id).second) continue;
                         boost::json::value context = nullptr;
                         if (m.context_length) context = *m.context_length;
                         list.push_back(boost::json::object{{"id", m.id},
                                                            {"name", m.id},
                                                            {"parameters", nullptr},
                                                            {"context_length", std::move(context)},
                                                            {"default", gateway ? m.id == fallback : m.is_default}});
                       }
                       return http::JsonReply(200, {{"models", std::move(list)}});
                     }),
           {.doc = {.summary = "List available inference models",
                    .tag = "System",
                    .response_schema = "ModelList",
                    .secured = true}});
}

}  // namespace atrium::dialects::pisovereign
