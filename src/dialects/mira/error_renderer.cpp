#include <boost/json.hpp>

#include "dialects/mira/mira.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::mira {

namespace {

std::string_view CodeFor(http::ErrorKind kind) {
  using K = http::ErrorKind;
  switch (kind) {
    case K::kBadRequest:
      return "BAD_REQUEST";
    case K::kInvalidJson:
      return "INVALID_JSON";
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
      return "RATE_LIMIT_EXCEEDED";
    case K::kHeadersTooLarge:
      return "HEADERS_TOO_LARGE";
    case K::kInternal:
      return "INTERNAL_ERROR";
    case K::kBadGateway:
      return "MODEL_INFERENCE_FAILED";
    case K::kUnavailable:
      return "SERVICE_UNAVAILABLE";
  }
  return "INTERNAL_ERROR";
}

class Renderer final : public http::ErrorRenderer {
 public:
  explicit Renderer(const core::Clock& clock) : clock_(clock) {}

  http::Response Render(const http::ApiError& error, const http::Request& request) const override {
    boost::json::object details = error.details;
    details["timestamp"] = core::FormatRfc3339(clock_.Now());
    boost::json::object inner;
    inner["code"] = error.code ? std::string_view(*error.code) : CodeFor(error.kind);
    inner["message"] = error.message;
    inner["details"] = std::move(details);
    inner["request_id"] = request.request_id;
    return http::JsonReply(error.status, {{"error", std::move(inner)}});
  }

 private:
  const core::Clock& clock_;
};

}  // namespace

std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer(const core::Clock& clock) {
  return std::make_unique<Renderer>(clock);
}

}  // namespace atrium::dialects::mira
