// /api/arena/sessions*: side-by-side comparisons of 2-4 configs. The answers stream
// over Socket.IO (arena_send_message); these routes make, list, show and delete.

#include <boost/json.hpp>

#include "dialects/unichat/config_json.hpp"
#include "dialects/unichat/paging.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::arena::ArenaMessage;
using core::arena::ArenaSession;
using core::identity::Principal;

json::object SessionJson(const ArenaSession& s) {
  json::array ids;
  for (const auto& id : s.config_ids) ids.emplace_back(id);
  return {{"id", s.id},
          {"user_id", s.user_id},
          {"config_ids", ids},
          {"title", s.title},
          {"message_count", s.message_count},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at}};
}

json::object MessageJson(const ArenaMessage& m) {
  json::object o{{"id", m.id},
                 {"session_id", m.session_id},
                 {"role", m.role},
                 {"content", m.content},
                 {"created_at", m.created_at}};
  if (m.role == "assistant") {
    o["config_id"] = m.config_id;
    boost::system::error_code ec;
    json::value metadata = json::parse(m.metadata_json, ec);
    o["metadata"] = ec || !metadata.is_object() ? json::value(json::object{}) : std::move(metadata);
  }
  return o;
}

}  // namespace

void AddArenaRoutes(http::Site& site, const Context& ctx) {
  const Services& services = ctx.services();
  auto& arena = services.arena;
  const auto& rule = ctx.rules().other;

  site.Add(http::Method::kPost, "/api/arena/sessions",
           ctx.Authed(rule, [&arena](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (auto* e = std::get_if<http::ApiError>(&body)) return std::move(*e);
             const auto& o = std::get<json::object>(body);
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
             return http::JsonReply(201, {{"session", SessionJson(*made)}});
           }));

  site.Add(http::Method::kGet, "/api/arena/sessions",
           ctx.Authed(rule, [&arena](http::Request& req, const Principal& who) -> http::Reply {
             auto page = ReadPage(req, 20);
             if (auto* e = std::get_if<http::ApiError>(&page)) return std::move(*e);
             const auto& p = std::get<PageArgs>(page);
             auto found = arena.List(who.user_id, p.limit, p.offset());
             if (!found) return ToApiError(found.error());
             json::array sessions;
             for (const auto& s : found->sessions) sessions.emplace_back(SessionJson(s));
             return http::JsonReply(200, Listing("sessions", std::move(sessions), found->total, p));
           }));

  site.Add(http::Method::kGet, "/api/arena/sessions/:id",
           ctx.Authed(rule, [&arena](http::Request& req, const Principal& who) -> http::Reply {
             auto detail = arena.Detail(who.user_id, std::string(*req.Param("id")));
             if (!detail) return ToApiError(detail.error());
             json::array messages;
             for (const auto& m : detail->messages) messages.emplace_back(MessageJson(m));
             return http::JsonReply(200, {{"session", SessionJson(detail->session)},
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
