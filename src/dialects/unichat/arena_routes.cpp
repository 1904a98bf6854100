// /api/arena/sessions*: side-by-side comparisons of 2-4 configs. The answers stream
// over Socket.IO (arena_send_message); these routes make, list, show and delete.

#include <boost/json.hpp>

#include "core/arena/arena_service.hpp"
#include "dialects/unichat/arena_json.hpp"
#include "dialects/unichat/config_json.hpp"
#include "dialects/unichat/paging.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::identity::Principal;

}  // namespace

void AddArenaRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  auto& arena = services.arena;
  const auto& rule = ctx.rules().other;

  site.Add(http::Method::kPost, "/api/arena/sessions",
           ctx.Authed(rule, [&arena](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             const auto& o = *body;
             const auto* ids = o.if_contains("config_ids");
             if (ids == nullptr || !ids->is_array()) {
               return http::MakeError(http::ErrorKind::kValidation, "config_ids must be an array of 2 to 4 config ids");
             }
             std::vector<std::string> config_ids;
             for (const auto& id : ids->as_array()) {
               if (!id.is_string()) {
                 return http::MakeError(http::ErrorKind::kValidation,
                                        "config_ids must be an array of 2 to 4 config ids");
               }
               config_ids.emplace_back(id.as_string());
             }
             std::string title;
             if (const auto* t = o.if_contains("title"); t != nullptr && !t->is_null()) {
               if (!t->is_string()) return http::MakeError(http::ErrorKind::kValidation, "title must be a string");
               title = std::string(t->as_string());
             }
             auto made = arena.Create(who.user_id, config_ids, title);
             if (!made) return ToApiError(made.error());
             return http::JsonReply(201, {{"session", ArenaSessionJson(*made)}});
           }));

  site.Add(http::Method::kGet, "/api/arena/sessions",
           ctx.Authed(rule, [&arena](http::Request& req, const Principal& who) -> http::Reply {
             auto page = ReadPage(req, 20);
             if (!page) return std::move(page).error();
             const auto& p = *page;
             auto found = arena.List(who.user_id, p.limit, p.offset());
             if (!found) return ToApiError(found.error());
             json::array sessions;
             for (const auto& s : found->sessions) sessions.emplace_back(ArenaSessionJson(s));
             return http::JsonReply(200, Listing("sessions", std::move(sessions), found->total, p));
           }));

  site.Add(http::Method::kGet, "/api/arena/sessions/:id",
           ctx.Authed(rule, [&arena](http::Request& req, const Principal& who) -> http::Reply {
             auto detail = arena.Detail(who.user_id, std::string(*req.Param("id")));
             if (!detail) return ToApiError(detail.error());
             json::array messages;
             for (const auto& m : detail->messages) messages.emplace_back(ArenaMessageJson(m));
             return http::JsonReply(200, {{"session", ArenaSessionJson(detail->session)},
                                          {"messages", std::move(messages)},
                                          {"configs", ConfigsJson(detail->configs)}});
           }));

  site.Add(http::Method::kDelete, "/api/arena/sessions/:id",
           ctx.Authed(rule, [&arena](http::Request& req, const Principal& who) -> http::Reply {
             if (auto gone = arena.Delete(who.user_id, std::string(*req.Param("id"))); !gone) {
               return ToApiError(gone.error());
             }
             return http::JsonReply(200, {{"message", "Session deleted"}});
           }));
}

}  // namespace atrium::dialects::unichat
