#include <boost/json.hpp>

#include "dialects/secondbrain/secondbrain.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::secondbrain {

namespace {

struct Codes {
  std::string_view type;
  std::string_view code;
};

Codes CodesFor(http::ErrorKind kind) {
  using K = http::ErrorKind;
  switch (kind) {
    case K::kBadRequest: return {"VALIDATION_ERROR", "VAL_001"};
    case K::kValidation: return {"VALIDATION_ERROR", "VAL_001"};
    case K::kInvalidJson: return {"VALIDATION_ERROR", "VAL_002"};
    case K::kUnsupportedMediaType: return {"VALIDATION_ERROR", "VAL_003"};
    case K::kPayloadTooLarge: return {"VALIDATION_ERROR", "VAL_004"};
    case K::kHeadersTooLarge: return {"VALIDATION_ERROR", "VAL_005"};
    case K::kRequestTimeout: return {"VALIDATION_ERROR", "VAL_006"};
    case K::kUnauthorized: return {"AUTH_ERROR", "AUTH_001"};
    case K::kForbidden: return {"AUTH_ERROR", "AUTH_003"};
    case K::kNotFound: return {"NOT_FOUND", "NF_001"};
    case K::kMethodNotAllowed: return {"METHOD_NOT_ALLOWED", "REQ_001"};
    case K::kConflict: return {"CONFLICT", "CONF_001"};
    case K::kRateLimited: return {"RATE_LIMIT_ERROR", "RATE_001"};
    case K::kInternal: return {"INTERNAL_ERROR", "INT_001"};
    case K::kBadGateway: return {"LLM_ERROR", "LLM_002"};
    case K::kUnavailable: return {"SERVICE_UNAVAILABLE", "SVC_001"};
  }
  return {"INTERNAL_ERROR", "INT_001"};
}

class Renderer final : public http::ErrorRenderer {
 public:
  explicit Renderer(const core::Clock& clock) : clock_(clock) {}

  http::Response Render(const http::ApiError& error, const http::Request& request) const override {
    const Codes codes = CodesFor(error.kind);
    boost::json::object inner;
    inner["type"] = codes.type;
    inner["message"] = error.message;
    inner["code"] = error.code ? std::string_view(*error.code) : codes.code;
    inner["details"] = error.details;
    inner["requestId"] = request.request_id;
    inner["timestamp"] = core::FormatRfc3339(clock_.Now(), 3);
    return http::JsonReply(error.status, {{"error", std::move(inner)}});
  }

 private:
  const core::Clock& clock_;
};

}  // namespace

std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer(const core::Clock& clock) {
  return std::make_unique<Renderer>(clock);
}

}  // namespace atrium::dialects::secondbrain
