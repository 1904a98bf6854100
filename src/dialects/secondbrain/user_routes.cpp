// /api/user/profile and /api/user/preferences: the signed-in user's account, counted
// against the spec's General API limit per user.

#include <boost/json.hpp>
#include <memory>

#include "core/chat/conversation_store.hpp"
#include "core/documents/document_service.hpp"
#include "core/identity/identity_service.hpp"
#include "core/memory/memory_service.hpp"
#include "dialects/common/rate_limit.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/preferences.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "dialects/secondbrain/user_json.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
using core::identity::Principal;

// Messages and tokens come from the user's usage record.
http::Result<json::object> Stats(const Deps& services, const core::identity::User& user) {
  auto conversations = services.conversations.Count(user.id);
  if (!conversations) return ToApiError(conversations.error());
  auto memories = services.memory.Count(user.id);
  if (!memories) return ToApiError(memories.error());
  auto documents = services.documents.Count(user.id);
  if (!documents) return ToApiError(documents.error());
  return json::object{{"totalConversations", *conversations},
                      {"totalMessages", user.usage.messages_sent},
                      {"totalDocuments", *documents},
                      {"totalMemories", *memories},
                      {"tokensUsed", user.usage.tokens_used}};
}

http::ApiError WrongPassword() {
  http::ApiError e = http::MakeError(http::ErrorKind::kUnauthorized, "Current password is incorrect");
  e.reason = core::Reason::kInvalidCredentials;
  e.details["field"] = "currentPassword";
  return e;
}

// The validated fields of a profile update.
struct ProfileChange {
  std::optional<std::string> username;
  std::optional<std::string> email;
  std::optional<std::string> current_password;
  std::optional<std::string> new_password;
};

http::Result<ProfileChange> ParseProfileChange(const json::object& o) {
  ProfileChange change;
  const std::pair<std::string_view, std::optional<std::string>*> fields[] = {
      {"username", &change.username},
      {"email", &change.email},
      {"currentPassword", &change.current_password},
      {"newPassword", &change.new_password},
  };
  for (const auto& [name, slot] : fields) {
    auto got = OptionalString(o, name);
    if (!got) return std::move(got).error();
    *slot = std::move(*got);
  }
  if (change.username && !IsValidUsername(*change.username)) {
    return FieldError("username", "Username must be 3-20 characters: letters, numbers and underscores");
  }
  if (change.email && !core::identity::IsPlausibleEmail(*change.email)) {
    return FieldError("email", "Invalid email format");
  }
  if (change.new_password) {
    if (auto weak = kPasswordPolicy.Check(*change.new_password)) return FieldError("newPassword", *weak);
  }
  return change;
}

}  // namespace

void AddUserRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  const auto& general = ctx.rules().general;
  const auto& password_rule = ctx.rules().auth;

  AddApi(site, http::Method::kGet, "/user/profile",
         ctx.Authed(general, [&services](http::Request&, const Principal& who) -> http::Reply {
           auto user = services.identity.GetUser(who.user_id);
           if (!user) return ToApiError(user.error());
           json::object out = BriefUser(*user);
           out["createdAt"] = SpecTimestamp(user->created_at);
           auto stats = Stats(services, *user);
           if (!stats) return std::move(stats).error();
           out["stats"] = std::move(*stats);
           return http::JsonReply(200, {{"user", std::move(out)}});
         }));

  AddApi(site, http::Method::kPut, "/user/profile",
         ctx.Authed(general, [&services, password_rule](http::Request& req, const Principal& who) -> http::Reply {
           auto body = http::ParseJsonObject(req);
           if (!body) return std::move(body).error();
           auto parsed = ParseProfileChange(*body);
           if (!parsed) return std::move(parsed).error();
           const auto& change = *parsed;

           auto user = services.identity.GetUser(who.user_id);
           if (!user) return ToApiError(user.error());
           const bool email_change = change.email && *change.email != user->email;
           const bool username_change = change.username && change.username != user->username;

           // A stolen access token alone must not take the account over, nor serve to
           // guess the password: checks spend the user's Authentication budget.
           if (email_change || change.new_password) {
             if (!change.current_password || change.current_password->empty()) {
               return FieldError("currentPassword", "currentPassword is required to change email or password");
             }
             auto checked = CheckRate(services, password_rule, "user:" + who.user_id, false, "Rate limit exceeded");
             if (!checked) return std::move(checked).error();
             auto ok = services.identity.CheckPassword(who.user_id, *change.current_password);
             if (!ok) return ToApiError(ok.error());
             if (!*ok) return WrongPassword();
           }
           if (email_change || username_change) {
             core::identity::ProfileUpdate update;
             if (email_change) update.email = change.email;
             if (username_change) update.username = change.username;
             auto updated = services.identity.UpdateProfile(who.user_id, update);
             if (!updated) return ToApiError(updated.error());
           }
           if (change.new_password) {
             // Also revokes every other session of the user; this one stays signed in.
             auto changed =
                 services.identity.ChangePassword(who, *change.current_password, *change.new_password, kPasswordPolicy);
             if (!changed) {
               if (changed.error().reason() == core::Reason::kInvalidCredentials) return WrongPassword();
               return ToApiError(changed.error(), "newPassword");
             }
           }

           auto fresh = services.identity.GetUser(who.user_id);
           if (!fresh) return ToApiError(fresh.error());
           json::object out = BriefUser(*fresh);
           out["updatedAt"] = SpecTimestamp(fresh->updated_at);
           return http::JsonReply(200, {{"user", std::move(out)}, {"message", "Profile updated successfully"}});
         }));

  AddApi(
      site, http::Method::kGet, "/user/preferences",
      ctx.Authed(general, [&services](http::Request&, const Principal& who) -> http::Reply {
        auto user = services.identity.GetUser(who.user_id);
        if (!user) return ToApiError(user.error());
        return http::JsonReply(200, {{"preferences", EffectivePreferences(ParsePreferences(user->preferences_json))}});
      }));

  AddApi(site, http::Method::kPut, "/user/preferences",
         ctx.Authed(general, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto body = http::ParseJsonObject(req);
           if (!body) return std::move(body).error();
           const auto& patch = *body;
           if (auto problem = ValidatePreferencePatch(patch)) return FieldError(problem->field, problem->message);

           // Read, merge and write in one transaction: concurrent patches never lose one another.
           json::object stored;
           std::optional<http::ApiError> too_big;
           auto updated =
               services.identity.UpdateUser(who.user_id, [&](core::identity::User& user) -> core::Result<void> {
                 stored = ParsePreferences(user.preferences_json);
                 MergePatch(stored, patch);
                 std::string text = json::serialize(stored);
                 if (text.size() > kMaxPreferencesBytes) {
                   too_big = FieldError("preferences", "Preferences may take at most " +
                                                           std::to_string(kMaxPreferencesBytes / 1024) + " KiB");
                   return core::Error(core::ErrorCode::kInvalidArgument, "preferences too large");
                 }
                 user.preferences_json = std::move(text);
                 return core::Ok{};
               });
           if (too_big) return std::move(*too_big);
           if (!updated) return ToApiError(updated.error());
           return http::JsonReply(
               200, {{"preferences", EffectivePreferences(stored)}, {"message", "Preferences updated successfully"}});
         }));
}

}  // namespace atrium::dialects::secondbrain
