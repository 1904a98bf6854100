// /api/users/*: the signed-in user's profile and settings.

#include <boost/json.hpp>

#include "core/identity/identity_service.hpp"
#include "dialects/unichat/avatar.hpp"
#include "dialects/unichat/display_name.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "dialects/unichat/user_json.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::identity::Principal;

constexpr std::size_t kMaxSettingsBytes = 16 * 1024;

http::ApiError BadRequest(std::string message) {
  return http::MakeError(http::ErrorKind::kValidation, std::move(message));
}

json::object FullUser(const core::identity::User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"role", core::identity::RoleName(u.role)},
          {"profile", Profile(u)},
          {"settings", Settings(u)},
          {"usage", Usage(u)},
          {"created_at", u.created_at}};
}

}  // namespace

void AddUserRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();

  site.Add(http::Method::kGet, "/api/users/profile",
           ctx.Authed(ctx.rules().other, [&services](http::Request&, const Principal& who) -> http::Reply {
             auto user = services.identity.GetUser(who.user_id);
             if (!user) return ToApiError(user.error());
             return http::JsonReply(200, {{"user", FullUser(*user)}});
           }));

  site.Add(http::Method::kPut, "/api/users/profile",
           ctx.Authed(ctx.rules().other, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             const auto& o = *body;
             core::identity::ProfileUpdate update;
             if (const auto* v = o.if_contains("display_name")) {
               if (!v->is_string() || !ValidDisplayName(v->as_string())) {
                 return BadRequest(std::string(kDisplayNameRule));
               }
               update.display_name = std::string(v->as_string());
             }
             if (const auto* v = o.if_contains("bio")) {
               if (!v->is_string() || v->as_string().size() > 500)
                 return BadRequest("Bio must be a string of at most 500 characters");
               update.bio = std::string(v->as_string());
             }
             if (const auto* v = o.if_contains("avatar_url")) {
               if (v->is_null()) {
                 update.avatar_url = std::optional<std::string>{};
               } else if (v->is_string() && (v->as_string().empty() || IsSafeAvatarUrl(v->as_string()))) {
                 update.avatar_url = std::optional<std::string>{std::string(v->as_string())};
               } else {
                 return BadRequest("avatar_url must be an http(s) URL or null");
               }
             }
             auto user = services.identity.UpdateProfile(who.user_id, update);
             if (!user) return ToApiError(user.error());
             return http::JsonReply(200, {{"user", FullUser(*user)}});
           }));

  site.Add(http::Method::kPut, "/api/users/settings",
           ctx.Authed(ctx.rules().other, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             const auto& changes = *body;
             if (const auto* theme = changes.if_contains("theme"); theme && !theme->is_string()) {
               return BadRequest("theme must be a string");
             }
             if (const auto* n = changes.if_contains("notifications_enabled"); n && !n->is_bool()) {
               return BadRequest("notifications_enabled must be true or false");
             }
             // Shallow merge into what is stored, inside one write transaction; null removes a setting.
             auto updated = services.identity.UpdateUser(
                 who.user_id, [&changes](core::identity::User& user) -> core::Result<void> {
                   json::object stored;
                   boost::system::error_code ec;
                   if (auto parsed = json::parse(user.settings_json, ec); !ec && parsed.is_object()) {
                     stored = parsed.as_object();
                   }
                   for (const auto& [k, v] : changes) {
                     if (v.is_null()) {
                       stored.erase(k);
                     } else {
                       stored[k] = v;
                     }
                   }
                   std::string text = json::serialize(stored);
                   if (text.size() > kMaxSettingsBytes) {
                     return core::Error(core::ErrorCode::kInvalidArgument, "Settings are limited to 16 KiB");
                   }
                   user.settings_json = std::move(text);
                   return core::Ok{};
                 });
             if (!updated) return ToApiError(updated.error());
             return http::JsonReply(200, {{"settings", Settings(*updated)}});
           }));
}

}  // namespace atrium::dialects::unichat
