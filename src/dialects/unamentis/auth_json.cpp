#include "dialects/unamentis/auth_json.hpp"

#include "dialects/unamentis/fields.hpp"

namespace atrium::dialects::unamentis {

namespace {

constexpr std::size_t kDeviceFieldMax = 255;

boost::json::value OrNull(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return boost::json::value(*s);
}

}  // namespace

boost::json::object UserSummaryJson(const core::identity::User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"display_name", user.display_name},
          {"role", core::identity::RoleName(user.role)}};
}

boost::json::object UserProfileJson(const core::identity::User& user) {
  boost::json::object o;
  o["id"] = user.id;
  o["email"] = user.email;
  o["email_verified"] = user.email_verified;
  o["display_name"] = user.display_name;
  o["avatar_url"] = OrNull(user.avatar_url);
  o["locale"] = user.locale;
  o["timezone"] = user.timezone;
  o["role"] = core::identity::RoleName(user.role);
  o["mfa_enabled"] = false;
  o["created_at"] = user.created_at;
  o["last_login_at"] = OrNull(user.last_login_at);
  return o;
}

boost::json::object TokensJson(const core::identity::TokenPair& tokens) {
  return {{"access_token", tokens.access_token},
          {"refresh_token", tokens.refresh_token},
          {"token_type", "Bearer"},
          {"expires_in", tokens.expires_in}};
}

boost::json::object AuthResultJson(const core::identity::AuthResult& result) {
  boost::json::object o;
  o["user"] = UserSummaryJson(result.user);
  if (result.device) {
    o["device"] = boost::json::object{{"id", result.device->id}};
  } else {
    o["device"] = nullptr;
  }
  o["tokens"] = TokensJson(result.tokens);
  return o;
}

boost::json::object DeviceJson(const core::identity::Device& device) {
  boost::json::object o;
  o["id"] = device.id;
  o["name"] = device.info.name;
  o["type"] = device.info.type;
  o["model"] = device.info.model;
  o["os_version"] = device.info.os_version;
  o["app_version"] = device.info.app_version;
  o["is_trusted"] = device.trusted;
  o["last_seen_at"] = device.last_seen_at;
  o["created_at"] = device.created_at;
  return o;
}

boost::json::object SessionJson(const core::identity::Session& session) {
  boost::json::object o;
  o["id"] = session.id;
  o["ip_address"] = session.ip_address;
  o["user_agent"] = session.user_agent;
  o["location"] = boost::json::object{{"country", OrNull(session.country)}, {"city", OrNull(session.city)}};
  o["device"] = boost::json::object{{"name", OrNull(session.device_name)}, {"type", OrNull(session.device_type)}};
  o["created_at"] = session.created_at;
  o["last_activity_at"] = session.last_activity_at;
  return o;
}

http::Result<std::optional<core::identity::DeviceInfo>> ParseDevice(const boost::json::object& body) {
  const auto* v = body.if_contains("device");
  if (v == nullptr || v->is_null()) return std::optional<core::identity::DeviceInfo>{};
  if (!v->is_object()) return FieldError("validation_error", "device", "device must be an object");
  const auto& o = v->as_object();
  core::identity::DeviceInfo info;
  const std::pair<const char*, std::string*> fields[] = {{"fingerprint", &info.fingerprint},
                                                         {"name", &info.name},
                                                         {"type", &info.type},
                                                         {"model", &info.model},
                                                         {"os_version", &info.os_version},
                                                         {"app_version", &info.app_version}};
  for (const auto& [key, out] : fields) {
    std::optional<std::string> s;
    if (auto err = OptionalString(o, key, s, kDeviceFieldMax)) {
      err->details["field"] = std::string("device.") + key;
      err->message = "device." + err->message;
      return std::move(*err);
    }
    *out = s.value_or("");
  }
  if (info.fingerprint.empty()) {
    return FieldError("missing_field", "device.fingerprint", "device.fingerprint is required");
  }
  return std::optional<core::identity::DeviceInfo>{std::move(info)};
}

}  // namespace atrium::dialects::unamentis
