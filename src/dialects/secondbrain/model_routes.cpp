// "Get Available Models", "Switch Active Model" and "Get System Statistics"
// (second-brain-api.md, "System & Health").
//
// The active model is the user's: POST /api/models/switch stores it as the user's
// `defaultModel` preference (the chat routes use it); a user who never chose one has the
// server's default. The switch warms the model up with a one-token generation and
// reports how long that took as `loadTime`.
//
// GET /api/stats (admins only, 403 otherwise) reports what is measured: the machine
// (/proc, statvfs), the API (the request metrics of every dialect), the LLM gateway
// (inference counters, slots in use) and the database's totals. There is no GPU probe,
// so gpuUsage and gpuMemory are null.

#include <boost/json.hpp>
#include <chrono>
#include <cmath>

#include "core/analytics/usage_analytics.hpp"
#include "core/documents/document_service.hpp"
#include "core/identity/identity_service.hpp"
#include "core/llm/gateway.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/memory/memory_service.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "core/system/system_usage.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/preferences.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "dialects/settings.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
using core::identity::Principal;

// The model the user chose, when they chose one.
http::Result<std::optional<std::string>> ChosenModel(const Deps& services, const std::string& user_id) {
  auto user = services.identity.GetUser(user_id);
  if (!user) return ToApiError(user.error());
  const json::object stored = ParsePreferences(user->preferences_json);
  if (const auto* m = stored.if_contains("defaultModel"); m != nullptr && m->is_string()) {
    return std::optional<std::string>{std::string(m->as_string())};
  }
  return std::optional<std::string>{};
}

json::value Optional(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

double Round(double v, double scale) { return std::round(v * scale) / scale; }

}  // namespace

void AddModelRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  const auto& general = ctx.rules().general;

  // The upstream says only a model's id, owner and sometimes its context length; what
  // it does not say is null.
  AddApi(site, http::Method::kGet, "/models",
         ctx.Authed(general, [&services](http::Request&, const Principal& who) -> http::Reply {
           auto models = services.models.Models();
           if (!models) return ToApiError(models.error());
           auto chosen = ChosenModel(services, who.user_id);
           if (!chosen) return std::move(chosen).error();
           std::string active;
           for (const auto& m : *models) {
             if (m.is_default && active.empty()) active = m.id;
           }
           if (*chosen) {
             for (const auto& m : *models) {
               if (m.id == **chosen) active = m.id;
             }
           }
           json::array list;
           for (const auto& m : *models) {
             list.push_back(json::object{{"id", m.id},
                                         {"name", m.name.empty() ? m.id : m.name},
                                         {"provider", m.owned_by.empty() ? json::value(nullptr) : json::value(m.owned_by)},
                                         {"parameters", nullptr},
                                         {"quantization", nullptr},
                                         {"contextLength", m.context_length ? json::value(*m.context_length)
                                                                            : json::value(nullptr)},
                                         {"vramRequired", nullptr},
                                         {"status", m.id == active ? "active" : "available"}});
           }
           return http::JsonReply(200, {{"models", std::move(list)},
                                        {"activeModel", active.empty() ? json::value(nullptr) : json::value(active)}});
         }));

  AddApi(site, http::Method::kPost, "/models/switch",
         ctx.Authed(general, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto body = http::ParseJsonObject(req);
           if (!body) return std::move(body).error();
           const auto* id = body->if_contains("modelId");
           if (id == nullptr || !id->is_string() || id->as_string().empty()) {
             return FieldError("modelId", "modelId is required");
           }
           const std::string model(id->as_string());
           auto models = services.models.Models();
           if (!models) return ToApiError(models.error());
           bool known = false;
           for (const auto& m : *models) known = known || m.id == model;
           if (!known) {
             http::ApiError e = FieldError("modelId", "No such model: " + model, *id);
             e.status = 404;
             e.kind = http::ErrorKind::kNotFound;
             e.reason = core::Reason::kModelNotFound;
             return e;
           }
           // Warm-up: the first request makes a lazily loading server (llama.cpp's router,
           // Ollama) load the model; its time is what the switch cost.
           core::llm::GenerationRequest warm;
           warm.model = model;
           warm.messages = {{"user", "Hi"}};
           warm.sampling.max_tokens = 1;
           warm.user = who.user_id;
           const auto started = std::chrono::steady_clock::now();
           auto answered = services.gateway.Generate(warm);
           if (!answered) return ToApiError(answered.error());
           const auto load_ms =
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
           auto stored = services.identity.UpdateUser(who.user_id, [&](core::identity::User& user) -> core::Result<void> {
             json::object prefs = ParsePreferences(user.preferences_json);
             prefs["defaultModel"] = model;
             user.preferences_json = json::serialize(prefs);
             return core::Ok{};
           });
           if (!stored) return ToApiError(stored.error());
           return http::JsonReply(200, {{"message", "Model switched successfully"},
                                        {"activeModel", model},
                                        {"loadTime", static_cast<std::int64_t>(load_ms)}});
         }));

  AddApi(site, http::Method::kGet, "/stats",
         ctx.Authed(general, [&services](http::Request&, const Principal& who) -> http::Reply {
           if (who.role != core::identity::Role::kAdmin) {
             return http::MakeError(http::ErrorKind::kForbidden, "Admin access required");
           }
           const auto usage = core::system::SampleSystem(services.settings.data_dir);
           // The API: every dialect's requests.
           std::uint64_t per_minute = 0;
           std::int64_t in_flight = 0;
           const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                                  services.clock.Steady().time_since_epoch())
                                  .count();
           for (const auto* d : services.metrics.Dialects()) {
             per_minute += d->rate.LastMinute(now_s);
             in_flight += d->active_requests.load();
           }
           core::metrics::HistogramSnapshot latency;
           std::uint64_t errors = 0;
           for (const auto& r : services.metrics.Snapshot()) {
             latency.Merge(r.latency);
             errors += r.status_counts[4];
           }
           const double average_ms = latency.count ? latency.sum_ms / static_cast<double>(latency.count) : 0;
           const double error_rate = latency.count ? static_cast<double>(errors) / static_cast<double>(latency.count) : 0;
           // The LLM gateway.
           const auto inference = services.inference.time();
           const double inference_ms = inference.count ? inference.sum_ms / static_cast<double>(inference.count) : 0;
           const double tokens_per_s = inference.sum_ms > 0 ? static_cast<double>(services.inference.completion_tokens()) /
                                                                  (inference.sum_ms / 1000.0)
                                                            : 0;
           const auto load = services.gateway.CurrentLoad();
           // The database.
           auto totals = services.analytics.Summary(1);
           if (!totals) return ToApiError(totals.error());
           auto memories = services.memory.CountAll();
           if (!memories) return ToApiError(memories.error());
           auto documents = services.documents.CountAll();
           if (!documents) return ToApiError(documents.error());
           json::object body{{"system",
                              {{"cpuUsage", Optional(usage.cpu_percent)},
                               {"memoryUsage", Optional(usage.memory_percent)},
                               {"gpuUsage", nullptr},
                               {"gpuMemory", nullptr},
                               {"diskUsage", Optional(usage.disk_percent)}}},
                             {"api",
                              {{"requestsPerMinute", per_minute},
                               {"averageResponseTime", Round(average_ms, 10)},
                               {"errorRate", Round(error_rate, 10000)},
                               {"activeConnections", in_flight}}},
                             {"llm",
                              {{"tokensPerSecond", Round(tokens_per_s, 10)},
                               {"averageInferenceTime", Round(inference_ms, 10)},
                               {"queueDepth", load.waiting},
                               {"activeRequests", load.active}}},
                             {"database",
                              {{"totalUsers", totals->users_total},
                               {"totalConversations", totals->conversations_total},
                               {"totalMessages", totals->messages_total},
                               {"totalDocuments", *documents},
                               {"totalMemories", *memories}}}};
           return http::JsonReply(200, body);
         }));
}

}  // namespace atrium::dialects::secondbrain
