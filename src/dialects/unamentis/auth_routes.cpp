// /api/auth/*: accounts, tokens, devices and sessions ("Authentication" in the spec).
// Every route is blocking (Argon2 and the database run on a worker thread).

#include <boost/json.hpp>

#include "core/identity/identity_service.hpp"
#include "dialects/unamentis/auth_json.hpp"
#include "dialects/unamentis/fields.hpp"
#include "dialects/unamentis/password_rule.hpp"
#include "dialects/unamentis/request_guard.hpp"
#include "dialects/unamentis/unamentis.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unamentis {

namespace {

namespace id = core::identity;

constexpr std::size_t kMaxDisplayName = 100;
constexpr std::size_t kMaxAvatarUrl = 2048;
constexpr std::size_t kMaxLocale = 35;
constexpr std::size_t kMaxTimezone = 64;
constexpr std::size_t kMaxUserAgent = 512;

// A 400 whose `error` is `code`, with empty details (the spec's documented codes).
http::ApiError BadRequest(std::string code, std::string message) {
  http::ApiError e = http::MakeError(http::ErrorKind::kValidation, std::move(message));
  e.code = std::move(code);
  return e;
}

http::Response Message(std::string_view text) { return http::JsonReply(200, {{"message", text}}); }

id::ClientContext Client(const http::Request& req, std::optional<id::DeviceInfo> device) {
  id::ClientContext c;
  c.ip_address = req.client_address;
  c.user_agent = std::string(req.Header("User-Agent").value_or("").substr(0, kMaxUserAgent));
  c.device = std::move(device);
  return c;
}

std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

bool AllOf(std::string_view s, bool (*ok)(char)) {
  for (const char c : s) {
    if (!ok(c)) return false;
  }
  return true;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }
bool IsLocaleChar(char c) { return IsAlnum(c) || c == '-' || c == '_'; }
bool IsZoneChar(char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '+' || c == '/'; }

bool IsHttpUrl(std::string_view url) {
  auto starts = [&](std::string_view prefix) {
    return url.size() > prefix.size() && http::EqualsIgnoreCase(url.substr(0, prefix.size()), prefix);
  };
  if (!starts("http://") && !starts("https://")) return false;
  for (const unsigned char c : url) {
    if (c <= ' ' || c == 0x7f || c == '"' || c == '<' || c == '>') return false;
  }
  return true;
}

// --- sign-up, sign-in, tokens -------------------------------------------------------

http::Reply Register(const Deps& services, http::Request& req) {
  auto parsed = http::ParseJsonObject(req);
  if (!parsed) return std::move(parsed).error();
  const auto& body = *parsed;
  std::optional<std::string> email, password, display_name;
  if (auto err = OptionalString(body, "email", email)) return std::move(*err);
  if (!email || email->empty()) return FieldError("missing_field", "email", "email is required");
  if (auto err = OptionalString(body, "password", password)) return std::move(*err);
  if (!password || password->empty()) return FieldError("missing_field", "password", "password is required");
  if (auto err = OptionalName(body, "display_name", display_name, kMaxDisplayName)) return std::move(*err);
  auto device = ParseDevice(body);
  if (!device) return std::move(device).error();

  // The spec's order: the email first, then the password (the core checks both again).
  if (!id::IsPlausibleEmail(*email)) return BadRequest("invalid_email", "Invalid email format");
  if (auto weak = WeakPassword(*password)) return BadRequest("weak_password", *weak);
  id::NewUser user;
  user.email = *email;
  user.display_name = Trim(display_name.value_or(""));
  if (user.display_name.empty()) user.display_name = email->substr(0, email->find('@'));
  user.password = std::move(*password);
  auto done = services.identity.Register(user, kPasswordPolicy, Client(req, std::move(*device)), true);
  if (!done) return AuthError(done.error());
  return http::JsonReply(201, AuthResultJson(*done));
}

http::Reply Login(const Deps& services, http::Request& req) {
  auto parsed = http::ParseJsonObject(req);
  if (!parsed) return std::move(parsed).error();
  const auto& body = *parsed;
  std::optional<std::string> email, password;
  if (auto err = OptionalString(body, "email", email)) return std::move(*err);
  if (auto err = OptionalString(body, "password", password)) return std::move(*err);
  if (!email || email->empty() || !password || password->empty()) {
    return BadRequest("missing_credentials", "Email and password are required");
  }
  auto device = ParseDevice(body);
  if (!device) return std::move(device).error();
  auto& info = *device;
  if (!info) return BadRequest("missing_device", "Device info is required");
  auto done = services.identity.Login(*email, *password, Client(req, std::move(info)));
  if (!done) return AuthError(done.error());
  return http::JsonReply(200, AuthResultJson(*done));
}

http::Reply Refresh(const Deps& services, http::Request& req) {
  auto parsed = http::ParseJsonObject(req);
  if (!parsed) return std::move(parsed).error();
  std::optional<std::string> token;
  if (auto err = OptionalString(*parsed, "refresh_token", token)) return std::move(*err);
  if (!token || token->empty()) return BadRequest("missing_token", "Refresh token is required");
  auto tokens = services.identity.Refresh(*token);
  if (!tokens) return AuthError(tokens.error());
  return http::JsonReply(200, {{"tokens", TokensJson(*tokens)}});
}

// Ends the session of the body's refresh token (the spec's form) or, without one, the
// session of the bearer access token; `all_devices` ends every session of the user.
// Limited per user when the access token checks out, per address otherwise.
http::Reply Logout(const Deps& services, const RateRules& rules, http::Request& req) {
  std::optional<http::Result<id::Principal>> who;
  if (http::BearerToken(req)) who = Authenticate(services, req);
  const id::Principal* principal = who && *who ? &**who : nullptr;
  const auto& rule = principal ? rules.authenticated : rules.unauthenticated;
  const std::string key = principal ? "user:" + principal->user_id : AddressKey(req);
  return Limited(services, rule, key, [&]() -> http::Reply {
    auto parsed = OptionalJsonObject(req);
    if (!parsed) return std::move(parsed).error();
    const auto& body = *parsed;
    std::optional<std::string> token;
    bool all_devices = false;
    if (auto err = OptionalString(body, "refresh_token", token)) return std::move(*err);
    if (auto err = OptionalBool(body, "all_devices", all_devices)) return std::move(*err);
    if (token && !token->empty()) {
      if (auto r = services.identity.LogoutWithRefreshToken(*token, all_devices); !r) return AuthError(r.error());
    } else if (principal) {
      if (auto r = services.identity.Logout(*principal, all_devices); !r) return AuthError(r.error());
    } else if (who) {
      return std::move(*who).error();
    } else {
      return BadRequest("missing_token", "A refresh token or an access token is required");
    }
    return Message("Logged out successfully");
  });
}

// --- the signed-in user ----------------------------------------------------------

http::Reply GetMe(const Deps& services, const id::Principal& who) {
  auto user = services.identity.GetUser(who.user_id);
  if (!user) return AuthError(user.error());
  return http::JsonReply(200, {{"user", UserProfileJson(*user)}});
}

http::Result<id::ProfileUpdate> ParseProfileUpdate(const boost::json::object& body) {
  id::ProfileUpdate update;
  if (auto err = OptionalName(body, "display_name", update.display_name, kMaxDisplayName)) return std::move(*err);
  if (update.display_name) {
    update.display_name = Trim(*update.display_name);
    if (update.display_name->empty()) {
      return FieldError("validation_error", "display_name", "display_name must not be empty");
    }
  }
  if (const auto* avatar = body.if_contains("avatar_url"); avatar && avatar->is_null()) {
    update.avatar_url = std::optional<std::string>{};  // null clears it
  } else {
    std::optional<std::string> url;
    if (auto err = OptionalString(body, "avatar_url", url, kMaxAvatarUrl)) return std::move(*err);
    if (url && url->empty()) {
      update.avatar_url = std::optional<std::string>{};
    } else if (url) {
      if (!IsHttpUrl(*url)) return FieldError("validation_error", "avatar_url", "avatar_url must be an http(s) URL");
      update.avatar_url = std::move(url);
    }
  }
  if (auto err = OptionalString(body, "locale", update.locale, kMaxLocale)) return std::move(*err);
  if (update.locale &&
      (update.locale->empty() || !IsAlpha(update.locale->front()) || !AllOf(*update.locale, IsLocaleChar))) {
    return FieldError("validation_error", "locale", "locale must be a language tag such as en-US");
  }
  if (auto err = OptionalString(body, "timezone", update.timezone, kMaxTimezone)) return std::move(*err);
  if (update.timezone &&
      (update.timezone->empty() || !IsAlpha(update.timezone->front()) || !AllOf(*update.timezone, IsZoneChar))) {
    return FieldError("validation_error", "timezone", "timezone must be a time zone name such as America/New_York");
  }
  return update;
}

http::Reply PatchMe(const Deps& services, http::Request& req, const id::Principal& who) {
  auto parsed = http::ParseJsonObject(req);
  if (!parsed) return std::move(parsed).error();
  auto update = ParseProfileUpdate(*parsed);
  if (!update) return std::move(update).error();
  auto user = services.identity.UpdateProfile(who.user_id, *update);
  if (!user) return AuthError(user.error());
  return http::JsonReply(200, {{"user", UserProfileJson(*user)}});
}

// Checks the current password, sets the new one and ends every other session (their
// refresh tokens and access tokens stop working); this session stays signed in.
http::Reply ChangePassword(const Deps& services, http::Request& req, const id::Principal& who) {
  auto parsed = http::ParseJsonObject(req);
  if (!parsed) return std::move(parsed).error();
  const auto& body = *parsed;
  std::optional<std::string> current, next;
  if (auto err = OptionalString(body, "current_password", current)) return std::move(*err);
  if (!current || current->empty()) {
    return FieldError("missing_field", "current_password", "current_password is required");
  }
  if (auto err = OptionalString(body, "new_password", next)) return std::move(*err);
  if (!next || next->empty()) return FieldError("missing_field", "new_password", "new_password is required");
  if (auto weak = WeakPassword(*next)) return BadRequest("weak_password", *weak);
  if (auto r = services.identity.ChangePassword(who, *current, *next, kPasswordPolicy); !r) return AuthError(r.error());
  return Message("Password changed successfully");
}

// --- devices and sessions ----------------------------------------------------------

http::Reply ListDevices(const Deps& services, const id::Principal& who) {
  auto devices = services.identity.Devices(who.user_id);
  if (!devices) return AuthError(devices.error());
  boost::json::array items;
  for (const auto& d : *devices) items.push_back(DeviceJson(d));
  return http::JsonReply(200, {{"devices", std::move(items)}});
}

// Another user's device is 404, exactly like one that does not exist.
http::Reply RemoveDevice(const Deps& services, const http::Request& req, const id::Principal& who) {
  const std::string device_id(req.Param("device_id").value_or(""));
  if (auto r = services.identity.RemoveDevice(who.user_id, device_id); !r) return AuthError(r.error());
  return Message("Device removed successfully");
}

http::Reply ListSessions(const Deps& services, const id::Principal& who) {
  auto sessions = services.identity.Sessions(who.user_id);
  if (!sessions) return AuthError(sessions.error());
  boost::json::array items;
  for (const auto& s : *sessions) items.push_back(SessionJson(s));
  return http::JsonReply(200, {{"sessions", std::move(items)}});
}

http::Reply TerminateSession(const Deps& services, const http::Request& req, const id::Principal& who) {
  const std::string session_id(req.Param("session_id").value_or(""));
  if (auto r = services.identity.RevokeSession(who.user_id, session_id); !r) return AuthError(r.error());
  return Message("Session terminated");
}

}  // namespace

void AddAuthRoutes(http::Site& site, const Deps& services) {
  const RateRules rules;
  using M = http::Method;
  auto& s = services;

  site.Add(M::kPost, "/api/auth/register",
           ByAddress(s, rules.reg, [&s](http::Request& req) { return Register(s, req); }));
  site.Add(M::kPost, "/api/auth/login", ByAddress(s, rules.login, [&s](http::Request& req) { return Login(s, req); }));
  site.Add(M::kPost, "/api/auth/refresh",
           ByAddress(s, rules.refresh, [&s](http::Request& req) { return Refresh(s, req); }));
  site.Add(M::kPost, "/api/auth/logout", [&s, rules](http::Request& req) { return Logout(s, rules, req); });

  auto user_route = [&](M method, std::string_view pattern, const core::ratelimit::RateRule& rule,
                        UserHandler handler) {
    site.Add(method, pattern, ForUser(s, rule, rules.unauthenticated, std::move(handler)));
  };
  user_route(M::kGet, "/api/auth/me", rules.authenticated,
             [&s](http::Request&, const id::Principal& who) { return GetMe(s, who); });
  user_route(M::kPatch, "/api/auth/me", rules.authenticated,
             [&s](http::Request& req, const id::Principal& who) { return PatchMe(s, req, who); });
  user_route(M::kPost, "/api/auth/password", rules.password,
             [&s](http::Request& req, const id::Principal& who) { return ChangePassword(s, req, who); });
  user_route(M::kGet, "/api/auth/devices", rules.authenticated,
             [&s](http::Request&, const id::Principal& who) { return ListDevices(s, who); });
  user_route(M::kDelete, "/api/auth/devices/{device_id}", rules.authenticated,
             [&s](http::Request& req, const id::Principal& who) { return RemoveDevice(s, req, who); });
  user_route(M::kGet, "/api/auth/sessions", rules.authenticated,
             [&s](http::Request&, const id::Principal& who) { return ListSessions(s, who); });
  user_route(M::kDelete, "/api/auth/sessions/{session_id}", rules.authenticated,
             [&s](http::Request& req, const id::Principal& who) { return TerminateSession(s, req, who); });
}

}  // namespace atrium::dialects::unamentis
