#include <boost/json.hpp>
#include <cctype>

#include "dialects/common/reason_code.hpp"
#include "dialects/unamentis/unamentis.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unamentis {

namespace {

std::string_view SnakeCode(http::ErrorKind kind) {
  using K = http::ErrorKind;
  switch (kind) {
    case K::kBadRequest:
      return "bad_request";
    case K::kInvalidJson:
      return "invalid_json";
    case K::kValidation:
      return "validation_error";
    case K::kUnauthorized:
      return "unauthorized";
    case K::kForbidden:
      return "forbidden";
    case K::kNotFound:
      return "not_found";
    case K::kMethodNotAllowed:
      return "method_not_allowed";
    case K::kRequestTimeout:
      return "request_timeout";
    case K::kConflict:
      return "conflict";
    case K::kPayloadTooLarge:
      return "payload_too_large";
    case K::kUnsupportedMediaType:
      return "unsupported_media_type";
    case K::kRateLimited:
      return "rate_limit_exceeded";
    case K::kHeadersTooLarge:
      return "headers_too_large";
    case K::kInternal:
      return "internal_error";
    case K::kBadGateway:
      return "upstream_error";
    case K::kUnavailable:
      return "service_unavailable";
  }
  return "internal_error";
}

class Renderer final : public http::ErrorRenderer {
 public:
  http::Response Render(const http::ApiError& error, const http::Request&) const override {
    if (error.kind == http::ErrorKind::kRateLimited) {
      // The spec's 429 has its own shape.
      boost::json::object body{{"error", "Rate limit exceeded"}, {"code", "RATE_LIMIT_EXCEEDED"}};
      if (const auto* retry = error.details.if_contains("retry_after")) body["retry_after"] = *retry;
      return http::JsonReply(429, body);
    }
    const std::string_view reason = SnakeCaseReason(error.reason);
    const std::string snake = error.code        ? *error.code
                              : !reason.empty() ? std::string(reason)
                                                : std::string(SnakeCode(error.kind));
    std::string upper = snake;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    boost::json::object body;
    body["error"] = snake;
    body["message"] = error.message;
    body["code"] = upper;
    body["details"] = error.details;
    return http::JsonReply(error.status, body);
  }
};

}  // namespace

std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() { return std::make_unique<Renderer>(); }

}  // namespace atrium::dialects::unamentis
