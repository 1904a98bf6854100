#include "dialects/unamentis/fields.hpp"

#include "core/identity/display_name.hpp"
#include "dialects/common/fields.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unamentis {

http::ApiError FieldError(std::string code, std::string field, std::string message) {
  http::ApiError e = http::MakeError(http::ErrorKind::kValidation, std::move(message));
  e.code = std::move(code);
  e.details["field"] = std::move(field);
  return e;
}

namespace {

std::optional<http::ApiError> ReadString(const boost::json::object& o, std::string_view key,
                                         std::optional<std::string>& out, std::size_t max_length,
                                         std::size_t (*length)(std::string_view)) {
  auto field = StringField(o, key);
  if (field.absent()) return std::nullopt;
  if (field.wrong_type()) {
    return FieldError("validation_error", std::string(key), std::string(key) + " must be a string");
  }
  if (length(field.value) > max_length) {
    return FieldError("validation_error", std::string(key),
                      std::string(key) + " must be at most " + std::to_string(max_length) + " characters");
  }
  out = std::move(field.value);
  return std::nullopt;
}

std::size_t Bytes(std::string_view s) { return s.size(); }

}  // namespace

std::optional<http::ApiError> OptionalString(const boost::json::object& o, std::string_view key,
                                             std::optional<std::string>& out, std::size_t max_length) {
  return ReadString(o, key, out, max_length, Bytes);
}

std::optional<http::ApiError> OptionalName(const boost::json::object& o, std::string_view key,
                                           std::optional<std::string>& out, std::size_t max_chars) {
  return ReadString(o, key, out, max_chars, core::identity::DisplayNameLength);
}

std::optional<http::ApiError> OptionalBool(const boost::json::object& o, std::string_view key, bool& out) {
  const auto field = BoolField(o, key);
  if (field.absent()) return std::nullopt;
  if (field.wrong_type()) {
    return FieldError("validation_error", std::string(key), std::string(key) + " must be a boolean");
  }
  out = field.value;
  return std::nullopt;
}

http::Result<boost::json::object> OptionalJsonObject(const http::Request& request) {
  if (request.body.empty()) return boost::json::object{};
  return http::ParseJsonObject(request);
}

}  // namespace atrium::dialects::unamentis
