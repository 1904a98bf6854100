#include "http/json_body.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace atrium::http {

bool IsJsonContentType(std::string_view content_type) {
  const auto semi = content_type.find(';');
  std::string_view media = content_type.substr(0, semi);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  if (EqualsIgnoreCase(media, "application/json")) return true;
  constexpr std::string_view kPrefix = "application/";
  constexpr std::string_view kSuffix = "+json";
  return media.size() > kPrefix.size() + kSuffix.size() && EqualsIgnoreCase(media.substr(0, kPrefix.size()), kPrefix) &&
         EqualsIgnoreCase(media.substr(media.size() - kSuffix.size()), kSuffix);
}

std::variant<boost::json::value, ApiError> ParseJsonBody(const Request& request) {
  if (const auto type = request.headers.Get("Content-Type"); type && !IsJsonContentType(*type)) {
    return MakeError(ErrorKind::kUnsupportedMediaType, "Content-Type must be application/json");
  }
  if (request.body.empty()) return MakeError(ErrorKind::kInvalidJson, "Request body must be JSON");
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec, {}, options);
  if (ec) return MakeError(ErrorKind::kInvalidJson, "Malformed JSON in request body");
  return value;
}

std::variant<boost::json::object, ApiError> ParseJsonObject(const Request& request) {
  auto parsed = ParseJsonBody(request);
  if (auto* error = std::get_if<ApiError>(&parsed)) return std::move(*error);
  auto& value = std::get<boost::json::value>(parsed);
  if (!value.is_object()) return MakeError(ErrorKind::kInvalidJson, "Request body must be a JSON object");
  return std::move(value.as_object());
}

Response JsonReply(int status, const boost::json::value& value) {
  return Response::Json(status, boost::json::serialize(value));
}

}  // namespace atrium::http
