// /api/admin/*: accounts, their chat history, config templates and the audit log, for
// admins only. Every change, and every reading of a user's chats, is written to the
// audit log.

#include <boost/json.hpp>

#include "core/admin/user_admin.hpp"
#include "core/assistants/assistant_config_service.hpp"
#include "core/audit/audit_log.hpp"
#include "core/chat/conversation_store.hpp"
#include "dialects/unichat/chat_json.hpp"
#include "dialects/unichat/chat_request.hpp"
#include "dialects/unichat/config_json.hpp"
#include "dialects/unichat/paging.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "dialects/unichat/user_json.hpp"
#include "http/json_body.hpp"
#include "http/query_params.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::identity::Principal;
using core::identity::User;

json::object AdminUser(const User& u) {
  const bool banned = u.status == core::identity::UserStatus::kBanned;
  return {{"id", u.id},
          {"email", u.email},
          {"role", core::identity::RoleName(u.role)},
          {"profile", Profile(u)},
          {"usage", Usage(u)},
          {"status",
           {{"is_banned", banned},
            {"ban_reason", banned && u.ban_reason ? json::value(*u.ban_reason) : json::value(nullptr)},
            {"state", core::identity::StatusName(u.status)}}},
          {"created_at", u.created_at},
          {"last_login_at", u.last_login_at ? json::value(*u.last_login_at) : json::value(nullptr)}};
}

// The body's object, or an empty one for an empty body.
http::Result<json::object> OptionalBody(const http::Request& req) {
  if (req.body.empty()) return json::object{};
  return http::ParseJsonObject(req);
}

}  // namespace

void AddAdminRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  auto& admin = services.user_admin;
  auto& configs = services.assistants;
  auto& audit = services.audit;
  const auto& rule = ctx.rules().other;

  site.Add(http::Method::kGet, "/api/admin/users",
           ctx.Admin(rule, [&admin](http::Request& req, const Principal&) -> http::Reply {
             auto page = ReadPage(req, 20);
             if (!page) return std::move(page).error();
             auto banned = http::BoolParam(req, "include_banned", true);
             if (!banned) return std::move(banned).error();
             const auto& p = *page;
             core::admin::UserQuery q{req.QueryParam("search").value_or(""), *banned, p.limit, p.offset()};
             auto found = admin.List(q);
             if (!found) return ToApiError(found.error());
             json::array users;
             for (const auto& u : found->users) users.emplace_back(AdminUser(u));
             return http::JsonReply(200, Listing("users", std::move(users), found->total, p));
           }));

  site.Add(http::Method::kGet, "/api/admin/users/:id",
           ctx.Admin(rule, [&admin, &configs, &services](http::Request& req, const Principal&) -> http::Reply {
             auto user = admin.Get(std::string(*req.Param("id")));
             if (!user) return ToApiError(user.error());
             auto config_count = configs.CountOwned(user->id);
             if (!config_count) return ToApiError(config_count.error());
             json::object out = AdminUser(*user);
             out["stats"] = {{"config_count", *config_count}};
             auto conversation_count = services.conversations.Count(user->id);
             if (!conversation_count) return ToApiError(conversation_count.error());
             out["stats"].as_object()["conversation_count"] = *conversation_count;
             return http::JsonReply(200, {{"user", std::move(out)}});
           }));

  // Reading a user's chats is an admin action like the others: it is audited.
  site.Add(http::Method::kGet, "/api/admin/users/:id/history",
           ctx.Admin(rule, [&admin, &services](http::Request& req, const Principal& who) -> http::Reply {
             auto page = ReadPage(req, 20);
             if (!page) return std::move(page).error();
             auto with_messages = http::BoolParam(req, "include_messages", false);
             if (!with_messages) return std::move(with_messages).error();
             const auto& p = *page;
             auto user = admin.Get(std::string(*req.Param("id")));
             if (!user) return ToApiError(user.error());
             core::chat::ListOptions o;
             o.sort = core::chat::ConversationSort::kLastMessageAt;
             o.limit = p.limit;
             o.offset = p.offset();
             auto found = services.conversations.ListPage(user->id, o);
             if (!found) return ToApiError(found.error());
             json::array conversations;
             for (const auto& c : found->items) {
               json::object item = ConversationJson(c);
               if (*with_messages) {
                 auto messages = services.conversations.Messages(user->id, c.id);
                 if (!messages) return ToApiError(messages.error());
                 json::array list;
                 for (const auto& m : *messages) list.emplace_back(MessageJson(m));
                 item["messages"] = std::move(list);
               }
               conversations.emplace_back(std::move(item));
             }
             if (auto a = admin.Audit(who, "view_user_history", user->id,
                                      {{"page", static_cast<std::int64_t>(p.page)},
                                       {"limit", static_cast<std::int64_t>(p.limit)},
                                       {"include_messages", *with_messages}});
                 !a) {
               return ToApiError(a.error());
             }
             json::object out = Listing("conversations", std::move(conversations), found->total, p);
             out["user"] = {{"id", user->id}, {"email", user->email}, {"display_name", user->display_name}};
             return http::JsonReply(200, out);
           }));

  site.Add(http::Method::kPut, "/api/admin/users/:id/ban",
           ctx.Admin(rule, [&admin](http::Request& req, const Principal& who) -> http::Reply {
             auto body = OptionalBody(req);
             if (!body) return std::move(body).error();
             std::optional<std::string> reason;
             if (const auto* v = body->if_contains("reason"); v != nullptr && !v->is_null()) {
               if (!v->is_string() || v->as_string().size() > 1000) {
                 return http::MakeError(http::ErrorKind::kValidation, "reason must be a string of at most 1000 bytes");
               }
               if (!v->as_string().empty()) reason = std::string(v->as_string());
             }
             const std::string id(*req.Param("id"));
             if (auto banned = admin.Ban(who, id, reason); !banned) return ToApiError(banned.error());
             return http::JsonReply(200, {{"message", "User banned"},
                                          {"user_id", id},
                                          {"reason", reason ? json::value(*reason) : json::value(nullptr)}});
           }));

  site.Add(http::Method::kPut, "/api/admin/users/:id/unban",
           ctx.Admin(rule, [&admin](http::Request& req, const Principal& who) -> http::Reply {
             const std::string id(*req.Param("id"));
             if (auto unbanned = admin.Unban(who, id); !unbanned) return ToApiError(unbanned.error());
             return http::JsonReply(200, {{"message", "User unbanned"}, {"user_id", id}});
           }));

  site.Add(http::Method::kPut, "/api/admin/users/:id/limits",
           ctx.Admin(rule, [&admin](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             const auto* v = body->if_contains("tokens_limit");
             if (v == nullptr || !v->is_int64()) {
               return http::MakeError(http::ErrorKind::kValidation,
                                      "tokens_limit must be an integer (-1 for unlimited)");
             }
             const std::string id(*req.Param("id"));
             if (auto set = admin.SetTokenLimit(who, id, v->as_int64()); !set) return ToApiError(set.error());
             return http::JsonReply(
                 200, {{"message", "User limits updated"}, {"user_id", id}, {"tokens_limit", v->as_int64()}});
           }));

  // Config templates: assistant configurations with the "template" visibility.
  site.Add(http::Method::kGet, "/api/admin/templates",
           ctx.Admin(rule, [&configs](http::Request& req, const Principal&) -> http::Reply {
             auto page = ReadPage(req, 100);
             if (!page) return std::move(page).error();
             const auto& p = *page;
             auto found = configs.ListTemplates(p.limit, p.offset());
             if (!found) return ToApiError(found.error());
             return http::JsonReply(200, Listing("templates", ConfigsJson(found->items), found->total, p));
           }));

  site.Add(http::Method::kPost, "/api/admin/templates",
           ctx.Admin(rule, [&configs, &admin](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             auto fields = ParseConfigFields(*body, true);
             if (!fields) return std::move(fields).error();
             // The template and its audit entry commit together.
             auto made = configs.CreateTemplate(
                 who.user_id, *fields,
                 [&](core::persistence::UnitOfWork& tx, const core::assistants::AssistantConfig& c) {
                   return admin.Audit(tx, who, "create_template", c.id, {{"name", c.name}});
                 });
             if (!made) return ToApiError(made.error());
             return http::JsonReply(201, {{"template", ConfigJson(*made)}});
           }));

  site.Add(http::Method::kPut, "/api/admin/templates/:id",
           ctx.Admin(rule, [&configs, &admin](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             auto fields = ParseConfigFields(*body, false);
             if (!fields) return std::move(fields).error();
             std::vector<std::string> changed;
             for (const auto& [k, v] : *body) changed.emplace_back(k);
             const core::audit::AuditDetails details{{"fields", std::move(changed)}};
             auto updated = configs.UpdateTemplate(
                 std::string(*req.Param("id")), *fields,
                 [&](core::persistence::UnitOfWork& tx, const core::assistants::AssistantConfig& c) {
                   return admin.Audit(tx, who, "update_template", c.id, details);
                 });
             if (!updated) return ToApiError(updated.error());
             return http::JsonReply(200, {{"template", ConfigJson(*updated)}});
           }));

  site.Add(http::Method::kDelete, "/api/admin/templates/:id",
           ctx.Admin(rule, [&configs, &admin](http::Request& req, const Principal& who) -> http::Reply {
             const std::string id(*req.Param("id"));
             auto gone = configs.DeleteTemplate(
                 id, [&](core::persistence::UnitOfWork& tx) { return admin.Audit(tx, who, "delete_template", id); });
             if (!gone) return ToApiError(gone.error());
             return http::JsonReply(200, {{"message", "Template deleted"}});
           }));

  site.Add(http::Method::kGet, "/api/admin/audit-logs",
           ctx.Admin(rule, [&audit](http::Request& req, const Principal&) -> http::Reply {
             auto skip = http::IntegerParam(req, "skip", 0, 0, 1'000'000'000);
             if (!skip) return std::move(skip).error();
             auto limit = http::IntegerParam(req, "limit", 50, 1, 200);
             if (!limit) return std::move(limit).error();
             auto page = audit.List(req.QueryParam("action").value_or(""), *skip, *limit);
             if (!page) return ToApiError(page.error());
             json::array logs;
             for (const auto& e : page->entries) {
               json::object details;
               for (const auto& [name, value] : e.details) {
                 details[name] = std::visit(
                     [](const auto& v) -> json::value {
                       using T = std::decay_t<decltype(v)>;
                       if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                         return json::value_from(v);
                       } else {
                         return json::value(v);
                       }
                     },
                     value);
               }
               logs.emplace_back(json::object{{"id", e.id},
                                              {"admin_id", e.admin_id},
                                              {"admin_email", e.admin_email},
                                              {"action", e.action},
                                              {"target_id", e.target_id},
                                              {"details", std::move(details)},
                                              {"created_at", e.created_at}});
             }
             return http::JsonReply(
                 200, {{"logs", std::move(logs)}, {"total", page->total}, {"skip", *skip}, {"limit", *limit}});
           }));
}

}  // namespace atrium::dialects::unichat
