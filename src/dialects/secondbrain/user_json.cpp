#include "dialects/secondbrain/user_json.hpp"

#include "dialects/common/fields.hpp"
#include "dialects/secondbrain/context.hpp"

namespace atrium::dialects::secondbrain {

namespace json = boost::json;

http::Result<std::optional<std::string>> OptionalString(const json::object& body, std::string_view field) {
  auto read = StringField(body, field);
  if (read.state == FieldState::kMissing) return std::optional<std::string>{};
  if (!read.present()) return FieldError(field, std::string(field) + " must be a string");  // null included
  return std::optional<std::string>{std::move(read.value)};
}

http::Result<std::string> RequiredString(const json::object& body, std::string_view field) {
  auto got = OptionalString(body, field);
  if (!got) return std::move(got).error();
  auto& value = *got;
  if (!value || value->empty()) return FieldError(field, std::string(field) + " is required");
  return std::move(*value);
}

bool IsValidUsername(std::string_view username) {
  if (username.size() < 3 || username.size() > 20) return false;
  for (const unsigned char c : username) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

json::object TokensJson(const core::identity::TokenPair& tokens) {
  return {
      {"accessToken", tokens.access_token}, {"refreshToken", tokens.refresh_token}, {"expiresIn", tokens.expires_in}};
}

json::object BriefUser(const core::identity::User& user) {
  json::object out{{"id", user.id}, {"email", user.email}};
  if (user.username) {
    out["username"] = *user.username;
  } else {
    out["username"] = nullptr;
  }
  return out;
}

}  // namespace atrium::dialects::secondbrain
