// /api/auth/*: register, login, refresh (rotating), logout. Register, login and refresh
// share the spec's Authentication budget per client address; logout is an ordinary
// signed-in call. Every route blocks (Argon2, SQLite): they run on worker threads.

#include <boost/json.hpp>

#include "core/identity/identity_service.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "dialects/secondbrain/user_json.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
using core::identity::Principal;

// Echoed in error details only when short enough to be a plausible value.
std::optional<json::value> Echo(const std::string& value, std::size_t max) {
  if (value.size() > max) return std::nullopt;
  return json::value(value);
}

}  // namespace

void AddAuthRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();

  AddApi(site, http::Method::kPost, "/auth/register",
         ctx.Public(ctx.rules().auth, [&services](http::Request& req) -> http::Reply {
           auto body = http::ParseJsonObject(req);
           if (!body) return std::move(body).error();
           const auto& o = *body;

           auto email = RequiredString(o, "email");
           if (!email) return std::move(email).error();
           const auto& email_text = *email;
           if (!core::identity::IsPlausibleEmail(email_text)) {
             return FieldError("email", "Invalid email format", Echo(email_text, 254));
           }
           auto username = RequiredString(o, "username");
           if (!username) return std::move(username).error();
           const auto& username_text = *username;
           if (!IsValidUsername(username_text)) {
             return FieldError("username", "Username must be 3-20 characters: letters, numbers and underscores",
                               Echo(username_text, 64));
           }
           auto password = RequiredString(o, "password");
           if (!password) return std::move(password).error();
           const auto& password_text = *password;
           if (auto weak = kPasswordPolicy.Check(password_text)) return FieldError("password", *weak);

           const core::identity::NewUser user{email_text, username_text, username_text, password_text,
                                              core::identity::Role::kUser};
           auto created = services.identity.Register(user, kPasswordPolicy, ClientOf(req), true);
           if (!created) return ToApiError(created.error());
           json::object out_user = BriefUser(created->user);
           out_user["createdAt"] = SpecTimestamp(created->user.created_at);
           return http::JsonReply(201, {{"user", std::move(out_user)}, {"tokens", TokensJson(created->tokens)}});
         }));

  AddApi(site, http::Method::kPost, "/auth/login",
         ctx.Public(ctx.rules().auth, [&services](http::Request& req) -> http::Reply {
           auto body = http::ParseJsonObject(req);
           if (!body) return std::move(body).error();
           const auto& o = *body;
           auto email = RequiredString(o, "email");
           if (!email) return std::move(email).error();
           auto password = RequiredString(o, "password");
           if (!password) return std::move(password).error();
           // Unknown email and wrong password give the same answer (and cost the same).
           auto auth = services.identity.Login(*email, *password, ClientOf(req));
           if (!auth) return ToApiError(auth.error());
           return http::JsonReply(200, {{"user", BriefUser(auth->user)}, {"tokens", TokensJson(auth->tokens)}});
         }));

  AddApi(site, http::Method::kPost, "/auth/refresh",
         ctx.Public(ctx.rules().auth, [&services](http::Request& req) -> http::Reply {
           auto body = http::ParseJsonObject(req);
           if (!body) return std::move(body).error();
           auto token = RequiredString(*body, "refreshToken");
           if (!token) return std::move(token).error();
           // Rotation: the presented token is spent; presenting it again revokes the family.
           auto pair = services.identity.Refresh(*token);
           if (!pair) return ToApiError(pair.error());
           return http::JsonReply(200, TokensJson(*pair));
         }));

  AddApi(site, http::Method::kPost, "/auth/logout",
         ctx.Authed(ctx.rules().general, [&services](http::Request&, const Principal& who) -> http::Reply {
           if (auto r = services.identity.Logout(who, false); !r) return ToApiError(r.error());
           return http::JsonReply(200, {{"message", "Logged out successfully"}});
         }));
}

}  // namespace atrium::dialects::secondbrain
