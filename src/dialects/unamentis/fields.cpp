#include "dialects/unamentis/fields.hpp"

#include "http/json_body.hpp"

namespace atrium::dialects::unamentis {

http::ApiError FieldError(std::string code, std::string field, std::string message) {
  http::ApiError e = http::MakeError(http::ErrorKind::kValidation, std::move(message));
  e.code = std::move(code);
  e.details["field"] = std::move(field);
  return e;
}

std::optional<http::ApiError> OptionalString(const boost::json::object& o, std::string_view key,
                                             std::optional<std::string>& out, std::size_t max_length) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) return FieldError("validation_error", std::string(key), std::string(key) + " must be a string");
  if (v->as_string().size() > max_length) {
    return FieldError("validation_error", std::string(key),
                      std::string(key) + " must be at most " + std::to_string(max_length) + " characters");
  }
  out = std::string(v->as_string());
  return std::nullopt;
}

std::optional<http::ApiError> OptionalBool(const boost::json::object& o, std::string_view key, bool& out) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_bool()) return FieldError("validation_error", std::string(key), std::string(key) + " must be a boolean");
  out = v->as_bool();
  return std::nullopt;
}

std::variant<boost::json::object, http::ApiError> OptionalJsonObject(const http::Request& request) {
  if (request.body.empty()) return boost::json::object{};
  return http::ParseJsonObject(request);
}

}  // namespace atrium::dialects::unamentis
