// /api/prompt-templates/*: everyone reads and counts uses; admins curate.

#include <boost/json.hpp>

#include "core/admin/user_admin.hpp"
#include "core/prompts/prompt_template_service.hpp"
#include "dialects/unichat/config_json.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::identity::Principal;

// A client's field as the audit entry keeps it: the value itself when it is a scalar,
// its JSON text otherwise.
core::audit::AuditValue AuditValueOf(const json::value& v) {
  if (v.is_null()) return nullptr;
  if (v.is_bool()) return v.as_bool();
  if (v.is_int64()) return v.as_int64();
  if (v.is_string()) return std::string(v.as_string());
  return json::serialize(v);
}

}  // namespace

void AddPromptTemplateRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  auto& templates = services.prompt_templates;
  auto& admin = services.user_admin;
  const auto& rule = ctx.rules().other;

  site.Add(http::Method::kGet, "/api/prompt-templates",
           ctx.Authed(rule, [&templates](http::Request& req, const Principal&) -> http::Reply {
             auto listed = templates.ListActive(req.QueryParam("category").value_or(""));
             if (!listed) return ToApiError(listed.error());
             json::array items;
             for (const auto& t : *listed) items.emplace_back(PromptTemplateJson(t));
             return http::JsonReply(200, {{"templates", std::move(items)}});
           }));

  site.Add(http::Method::kGet, "/api/prompt-templates/categories",
           ctx.Authed(rule, [&templates](http::Request&, const Principal&) -> http::Reply {
             auto categories = templates.Categories();
             if (!categories) return ToApiError(categories.error());
             json::array items;
             for (const auto& c : *categories) items.emplace_back(c);
             return http::JsonReply(200, {{"categories", std::move(items)}});
           }));

  site.Add(http::Method::kPost, "/api/prompt-templates/:id/use",
           ctx.Authed(rule, [&templates](http::Request& req, const Principal&) -> http::Reply {
             if (auto used = templates.RecordUse(std::string(*req.Param("id"))); !used) {
               return ToApiError(used.error());
             }
             return http::JsonReply(200, {{"message", "Usage recorded"}});
           }));

  site.Add(http::Method::kPost, "/api/prompt-templates",
           ctx.Admin(rule, [&templates, &admin](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             auto fields = ParseTemplateFields(*body);
             if (!fields) return std::move(fields).error();
             auto made = templates.Create(
                 who.user_id, *fields, [&](core::persistence::UnitOfWork& tx, const core::prompts::PromptTemplate& t) {
                   return admin.Audit(tx, who, "create_prompt_template", t.id, {{"name", t.name}});
                 });
             if (!made) return ToApiError(made.error());
             return http::JsonReply(201, {{"message", "Template created"}, {"template", PromptTemplateJson(*made)}});
           }));

  site.Add(http::Method::kPut, "/api/prompt-templates/:id",
           ctx.Admin(rule, [&templates, &admin](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             auto fields = ParseTemplateFields(*body);
             if (!fields) return std::move(fields).error();
             core::audit::AuditDetails changed;
             for (const auto& [k, v] : *body) {
               if (k == "name" || k == "category" || k == "description" || k == "is_active") {
                 changed.emplace_back(k, AuditValueOf(v));
               }
             }
             auto updated =
                 templates.Update(std::string(*req.Param("id")), *fields,
                                  [&](core::persistence::UnitOfWork& tx, const core::prompts::PromptTemplate& t) {
                                    return admin.Audit(tx, who, "update_prompt_template", t.id, changed);
                                  });
             if (!updated) return ToApiError(updated.error());
             return http::JsonReply(200, {{"message", "Template updated"}, {"template", PromptTemplateJson(*updated)}});
           }));

  site.Add(http::Method::kDelete, "/api/prompt-templates/:id",
           ctx.Admin(rule, [&templates, &admin](http::Request& req, const Principal& who) -> http::Reply {
             const std::string id(*req.Param("id"));
             auto gone = templates.Delete(id, [&](core::persistence::UnitOfWork& tx) {
               return admin.Audit(tx, who, "delete_prompt_template", id);
             });
             if (!gone) return ToApiError(gone.error());
             return http::JsonReply(200, {{"message", "Template deleted"}});
           }));
}

}  // namespace atrium::dialects::unichat
