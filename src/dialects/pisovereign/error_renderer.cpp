#include <boost/json.hpp>

#include "dialects/pisovereign/pisovereign.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::pisovereign {

namespace {

std::string_view CodeFor(http::ErrorKind kind) {
  using K = http::ErrorKind;
  switch (kind) {
    case K::kBadRequest:
    case K::kInvalidJson:
      return "BAD_REQUEST";
    case K::kValidation:
      return "VALIDATION_ERROR";
    case K::kUnauthorized:
      return "UNAUTHORIZED";
    case K::kForbidden:
      return "FORBIDDEN";
    case K::kNotFound:
      return "NOT_FOUND";
    case K::kMethodNotAllowed:
      return "METHOD_NOT_ALLOWED";
    case K::kRequestTimeout:
      return "REQUEST_TIMEOUT";
    case K::kConflict:
      return "CONFLICT";
    case K::kPayloadTooLarge:
      return "PAYLOAD_TOO_LARGE";
    case K::kUnsupportedMediaType:
      return "UNSUPPORTED_MEDIA_TYPE";
    case K::kRateLimited:
      return "RATE_LIMITED";
    case K::kHeadersTooLarge:
      return "HEADERS_TOO_LARGE";
    case K::kInternal:
      return "INTERNAL_ERROR";
    case K::kBadGateway:
      return "UPSTREAM_ERROR";
    case K::kUnavailable:
      return "SERVICE_UNAVAILABLE";
  }
  return "INTERNAL_ERROR";
}

class Renderer final : public http::ErrorRenderer {
 public:
  http::Response Render(const http::ApiError& error, const http::Request& request) const override {
    if (error.kind == http::ErrorKind::kRateLimited) {
      // The spec's 429 body: code, message and retry_after, no details.
      const auto* retry = error.details.if_contains("retry_after");
      const std::int64_t seconds = retry && retry->is_int64() ? retry->as_int64() : 1;
      return http::JsonReply(
          429, {{"error",
                 {{"code", "RATE_LIMITED"},
                  {"message", "Too many requests. Please retry after " + std::to_string(seconds) + " seconds."},
                  {"retry_after", seconds},
                  {"request_id", request.request_id}}}});
    }
    const int status = error.kind == http::ErrorKind::kValidation ? 422 : error.status;
    boost::json::object inner;
    inner["code"] = error.code ? std::string_view(*error.code) : CodeFor(error.kind);
    inner["message"] = error.message;
    inner["details"] = error.details;
    inner["request_id"] = request.request_id;
    return http::JsonReply(status, {{"error", std::move(inner)}});
  }
};

}  // namespace

std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() { return std::make_unique<Renderer>(); }

}  // namespace atrium::dialects::pisovereign
