// /api/auth/*: register, login, refresh (refresh token in the Authorization header,
// answered with a new access token only), logout, me, password.

#include <boost/json.hpp>

#include "core/identity/identity_service.hpp"
#include "dialects/common/fields.hpp"
#include "dialects/unichat/display_name.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "dialects/unichat/user_json.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::identity::Principal;

http::ApiError BadRequest(std::string message) {
  return http::MakeError(http::ErrorKind::kValidation, std::move(message));
}

core::identity::ClientContext Client(const http::Request& req) {
  return {req.client_address, std::string(req.Header("User-Agent").value_or("")), std::nullopt};
}

}  // namespace

void AddAuthRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();

  site.Add(http::Method::kPost, "/api/auth/register",
           ctx.Public(ctx.rules().auth, [&services](http::Request& req) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             const auto& o = *body;
             const auto email = StringIfAny(o, "email");
             const auto password = StringIfAny(o, "password");
             const auto name = StringIfAny(o, "display_name");
             if (!email || !password || !name) return BadRequest("email, password and display_name are required");
             if (!core::identity::IsPlausibleEmail(*email)) return BadRequest("Invalid email format");
             if (!ValidDisplayName(*name)) {
               return BadRequest(std::string(kDisplayNameRule));
             }
             core::identity::NewUser user{*email, std::nullopt, *name, *password, core::identity::Role::kUser};
             auto created = services.identity.Register(user, kPasswordPolicy, Client(req), false);
             if (!created) return ToApiError(created.error());
             return http::JsonReply(
                 201, {{"message", "Registration successful"}, {"user", BriefUser(created->user, false)}});
           }));

  site.Add(http::Method::kPost, "/api/auth/login",
           ctx.Public(ctx.rules().auth, [&services](http::Request& req) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             const auto& o = *body;
             const auto email = StringIfAny(o, "email");
             const auto password = StringIfAny(o, "password");
             if (!email || !password || email->empty() || password->empty()) {
               return BadRequest("Email and password are required");
             }
             auto auth = services.identity.Login(*email, *password, Client(req));
             if (!auth) return ToApiError(auth.error());
             return http::JsonReply(200, {{"access_token", auth->tokens.access_token},
                                          {"refresh_token", auth->tokens.refresh_token},
                                          {"token_type", "Bearer"},
                                          {"expires_in", auth->tokens.expires_in},
                                          {"user", BriefUser(auth->user, true)}});
           }));

  site.Add(http::Method::kPost, "/api/auth/refresh",
           ctx.Public(ctx.rules().auth, [&services](http::Request& req) -> http::Reply {
             const auto token = http::BearerToken(req);
             if (!token) {
               http::ApiError e = http::MakeError(http::ErrorKind::kUnauthorized, "Refresh token required");
               e.reason = core::Reason::kMissingToken;
               return e;
             }
             auto issued = services.identity.RefreshAccessOnly(std::string(*token));
             if (!issued) return ToApiError(issued.error());
             return http::JsonReply(
                 200, {{"access_token", issued->token}, {"token_type", "Bearer"}, {"expires_in", issued->expires_in}});
           }));

  site.Add(http::Method::kPost, "/api/auth/logout",
           ctx.Authed(ctx.rules().other, [&services](http::Request&, const Principal& who) -> http::Reply {
             if (auto r = services.identity.Logout(who, false); !r) return ToApiError(r.error());
             return http::JsonReply(200, {{"message", "Successfully logged out"}});
           }));

  site.Add(http::Method::kGet, "/api/auth/me",
           ctx.Authed(ctx.rules().other, [&services](http::Request&, const Principal& who) -> http::Reply {
             auto user = services.identity.GetUser(who.user_id);
             if (!user) return ToApiError(user.error());
             return http::JsonReply(200, {{"id", user->id},
                                          {"email", user->email},
                                          {"role", core::identity::RoleName(user->role)},
                                          {"profile", Profile(*user)},
                                          {"settings", Settings(*user)},
                                          {"usage", Usage(*user)},
                                          {"created_at", user->created_at}});
           }));

  site.Add(http::Method::kPut, "/api/auth/password",
           ctx.Authed(ctx.rules().auth, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             const auto& o = *body;
             const auto current = StringIfAny(o, "current_password");
             const auto next = StringIfAny(o, "new_password");
             if (!current || !next) return BadRequest("current_password and new_password are required");
             auto changed = services.identity.ChangePassword(who, *current, *next, kPasswordPolicy);
             if (!changed) {
               http::ApiError e = ToApiError(changed.error());
               if (changed.error().reason() == core::Reason::kInvalidCredentials)
                 e.message = "Current password is incorrect";
               return e;
             }
             return http::JsonReply(200, {{"message", "Password updated successfully"}});
           }));
}

}  // namespace atrium::dialects::unichat
