// /api/admin/analytics*: usage, cost and time-series figures (core/analytics), for
// admins only. Each call is written to the audit log, like every admin route.

#include <boost/json.hpp>

#include "core/admin/user_admin.hpp"
#include "core/analytics/usage_analytics.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"
#include "http/query_params.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::analytics::Granularity;
using core::analytics::ModelUsage;
using core::analytics::Point;
using core::identity::Principal;

http::Result<int> Days(const http::Request& req) {
  auto days = http::IntegerParam(req, "days", 30, core::analytics::kMinDays, core::analytics::kMaxDays);
  if (!days) return std::move(days).error();
  return static_cast<int>(*days);
}

json::array PointsJson(const std::vector<Point>& points) {
  json::array out;
  for (const auto& p : points) out.emplace_back(json::object{{"date", p.date}, {"value", p.value}});
  return out;
}

// What the audit log keeps of an analytics call.
std::optional<http::ApiError> Audit(core::admin::UserAdmin& admin, const Principal& who, const char* action,
                                    core::audit::AuditDetails details) {
  if (auto a = admin.Audit(who, action, "", std::move(details)); !a) return ToApiError(a.error());
  return std::nullopt;
}

}  // namespace

void AddAnalyticsRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  auto& analytics = services.analytics;
  auto& admin = services.user_admin;
  const auto& rule = ctx.rules().other;

  site.Add(http::Method::kGet, "/api/admin/analytics",
           ctx.Admin(rule, [&analytics, &admin](http::Request& req, const Principal& who) -> http::Reply {
             auto days = Days(req);
             if (!days) return std::move(days).error();
             auto s = analytics.Summary(*days);
             if (!s) return ToApiError(s.error());
             if (auto e = Audit(admin, who, "view_analytics", {{"days", s->period_days}})) return std::move(*e);
             json::array usage;
             for (const ModelUsage& m : s->model_usage) {
               usage.emplace_back(json::object{{"_id", m.model}, {"count", m.count}, {"total_tokens", m.total_tokens}});
             }
             return http::JsonReply(
                 200, {{"analytics",
                        {{"users", {{"total", s->users_total}, {"active", s->users_active}}},
                         {"conversations", {{"total", s->conversations_total}, {"recent", s->conversations_recent}}},
                         {"messages", {{"total", s->messages_total}}},
                         {"tokens", {{"total", s->tokens_total}}},
                         {"model_usage", std::move(usage)},
                         {"period_days", s->period_days}}}});
           }));

  site.Add(http::Method::kGet, "/api/admin/analytics/costs",
           ctx.Admin(rule, [&analytics, &admin](http::Request& req, const Principal& who) -> http::Reply {
             auto days = Days(req);
             if (!days) return std::move(days).error();
             auto c = analytics.Costs(*days);
             if (!c) return ToApiError(c.error());
             if (auto e = Audit(admin, who, "view_analytics_costs", {{"days", c->period_days}})) return std::move(*e);
             json::array by_model;
             for (const auto& m : c->by_model) {
               by_model.emplace_back(json::object{{"_id", m.model},
                                                  {"total_cost", m.total_cost},
                                                  {"total_requests", m.requests},
                                                  {"total_tokens", m.total_tokens}});
             }
             return http::JsonReply(200, {{"costs",
                                           {{"by_model", std::move(by_model)},
                                            {"total_cost_usd", c->total_cost_usd},
                                            {"period_days", c->period_days}}}});
           }));

  site.Add(http::Method::kGet, "/api/admin/analytics/timeseries",
           ctx.Admin(rule, [&analytics, &admin](http::Request& req, const Principal& who) -> http::Reply {
             auto days = Days(req);
             if (!days) return std::move(days).error();
             Granularity granularity = Granularity::kDay;
             if (auto text = req.QueryParam("granularity"); text && !text->empty()) {
               auto parsed = core::analytics::ParseGranularity(*text);
               if (!parsed) {
                 http::ApiError e =
                     http::MakeError(http::ErrorKind::kBadRequest, "granularity must be day, week or month");
                 e.details["parameter"] = "granularity";
                 return e;
               }
               granularity = *parsed;
             }
             auto t = analytics.Series(*days, granularity);
             if (!t) return ToApiError(t.error());
             const std::string name(core::analytics::GranularityName(t->granularity));
             if (auto e = Audit(admin, who, "view_analytics_timeseries",
                                {{"days", t->period_days}, {"granularity", name}})) {
               return std::move(*e);
             }
             json::array popular;
             for (const ModelUsage& m : t->popular_models) {
               popular.emplace_back(json::object{{"model", m.model}, {"count", m.count}});
             }
             return http::JsonReply(200, {{"timeseries",
                                           {{"messages", PointsJson(t->messages)},
                                            {"users", PointsJson(t->users)},
                                            {"conversations", PointsJson(t->conversations)},
                                            {"tokens", PointsJson(t->tokens)},
                                            {"popular_models", std::move(popular)},
                                            {"period_days", t->period_days},
                                            {"granularity", name}}}});
           }));
}

}  // namespace atrium::dialects::unichat
