#include <boost/json.hpp>
#include <optional>

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
    case K::kBadRequest:
      return {"VALIDATION_ERROR", "VAL_001"};
    case K::kValidation:
      return {"VALIDATION_ERROR", "VAL_001"};
    case K::kInvalidJson:
      return {"VALIDATION_ERROR", "VAL_002"};
    case K::kUnsupportedMediaType:
      return {"VALIDATION_ERROR", "VAL_003"};
    case K::kPayloadTooLarge:
      return {"VALIDATION_ERROR", "VAL_004"};
    case K::kHeadersTooLarge:
      return {"VALIDATION_ERROR", "VAL_005"};
    case K::kRequestTimeout:
      return {"VALIDATION_ERROR", "VAL_006"};
    case K::kUnauthorized:
      return {"AUTH_ERROR", "AUTH_001"};
    case K::kForbidden:
      return {"AUTH_ERROR", "AUTH_007"};
    case K::kNotFound:
      return {"NOT_FOUND", "NF_001"};
    case K::kMethodNotAllowed:
      return {"METHOD_NOT_ALLOWED", "REQ_001"};
    case K::kConflict:
      return {"CONFLICT", "CONF_001"};
    case K::kRateLimited:
      return {"RATE_LIMIT_ERROR", "RATE_001"};
    case K::kInternal:
      return {"INTERNAL_ERROR", "INT_001"};
    case K::kBadGateway:
      return {"LLM_ERROR", "LLM_002"};
    case K::kUnavailable:
      return {"SERVICE_UNAVAILABLE", "SVC_001"};
  }
  return {"INTERNAL_ERROR", "INT_001"};
}

// Finer codes for authentication failures, from the core's reasons. The spec names
// only the AUTH_ERROR type; the numbers follow its VAL_001/RATE_001 scheme and are
// listed in docs/dialects.md.
std::optional<std::string_view> ReasonCode(core::Reason reason) {
  using R = core::Reason;
  switch (reason) {
    case R::kInvalidCredentials:
      return "AUTH_001";
    case R::kTokenExpired:
      return "AUTH_002";
    case R::kInvalidToken:
    case R::kTokenReused:
    case R::kSessionRevoked:
      return "AUTH_003";
    case R::kMissingToken:
      return "AUTH_004";
    case R::kAccountLocked:
      return "AUTH_005";
    case R::kAccountInactive:
    case R::kAccountBanned:
      return "AUTH_006";
    // File failures: the spec's FILE_ERROR type (see Render), numbered like the rest.
    case R::kInvalidDocument:
      return "FILE_001";
    case R::kUnsupportedDocument:
      return "FILE_002";
    case R::kDocumentTooLarge:
      return "FILE_003";
    case R::kInvalidAudio:
      return "FILE_004";
    case R::kAudioTooLarge:
      return "FILE_005";
    case R::kAudioTooLong:
      return "FILE_006";
    case R::kNone:
    case R::kMissingCredentials:
    case R::kSessionNotFound:
    case R::kInvalidApiKey:
    case R::kDeviceNotFound:
    case R::kUserNotFound:
    case R::kEmailExists:
    case R::kUsernameExists:
    case R::kInvalidEmail:
    case R::kWeakPassword:
    case R::kCannotBanAdmin:
    case R::kCannotBanSelf:
    case R::kInvalidMessage:
    case R::kInvalidPrompt:
    case R::kConversationNotFound:
    case R::kMessageNotFound:
    case R::kTokenLimitExceeded:
    case R::kAbandoned:
    case R::kConfigNotFound:
    case R::kTemplateNotFound:
    case R::kImageNotFound:
    case R::kArenaConfigCount:
    case R::kInvalidDays:
    case R::kNotConfigured:
    case R::kLlmNotConfigured:
    case R::kLlmUnavailable:
    case R::kLlmBusy:
    case R::kLlmRateLimited:
    case R::kLlmRejected:
    case R::kLlmStreamInterrupted:
    case R::kLlmBadResponse:
    case R::kLlmEmptyAnswer:
    case R::kModelNotFound:
    case R::kSpeechNotConfigured:
    case R::kSpeechUnavailable:
    case R::kSpeechBusy:
    case R::kSpeechTimeout:
    case R::kInvalidVoice:
    case R::kTextTooLong:
    case R::kMemoryNotFound:
    case R::kDocumentNotFound:
    case R::kExportNotFound:
    case R::kEmbeddingsNotConfigured:
    case R::kRendererUnavailable:
    case R::kInvalidDiagramSource:
    case R::kInvalidFormula:
    case R::kInvalidMapRequest:
    case R::kRenderTimeout:
    case R::kRenderTooLarge:
    case R::kRenderBusy:
    case R::kCancelled:
    case R::kUpstreamIo:
      return std::nullopt;
  }
  return std::nullopt;
}

// The LLM failures, answered with the spec's LLM_ERROR when they are a 503.
bool IsLlmReason(core::Reason reason) {
  using R = core::Reason;
  switch (reason) {
    case R::kLlmNotConfigured:
    case R::kLlmUnavailable:
    case R::kLlmBusy:
    case R::kLlmRateLimited:
    case R::kLlmRejected:
    case R::kLlmStreamInterrupted:
    case R::kLlmBadResponse:
    case R::kLlmEmptyAnswer:
      return true;
    case R::kNone:
    case R::kMissingCredentials:
    case R::kInvalidCredentials:
    case R::kMissingToken:
    case R::kInvalidToken:
    case R::kTokenExpired:
    case R::kTokenReused:
    case R::kSessionRevoked:
    case R::kSessionNotFound:
    case R::kInvalidApiKey:
    case R::kAccountBanned:
    case R::kAccountInactive:
    case R::kAccountLocked:
    case R::kDeviceNotFound:
    case R::kUserNotFound:
    case R::kEmailExists:
    case R::kUsernameExists:
    case R::kInvalidEmail:
    case R::kWeakPassword:
    case R::kCannotBanAdmin:
    case R::kCannotBanSelf:
    case R::kInvalidMessage:
    case R::kInvalidPrompt:
    case R::kConversationNotFound:
    case R::kMessageNotFound:
    case R::kTokenLimitExceeded:
    case R::kAbandoned:
    case R::kConfigNotFound:
    case R::kTemplateNotFound:
    case R::kImageNotFound:
    case R::kArenaConfigCount:
    case R::kInvalidDays:
    case R::kNotConfigured:
    case R::kModelNotFound:
    case R::kInvalidAudio:
    case R::kAudioTooLarge:
    case R::kAudioTooLong:
    case R::kSpeechNotConfigured:
    case R::kSpeechUnavailable:
    case R::kSpeechBusy:
    case R::kSpeechTimeout:
    case R::kInvalidVoice:
    case R::kTextTooLong:
    case R::kMemoryNotFound:
    case R::kDocumentNotFound:
    case R::kUnsupportedDocument:
    case R::kInvalidDocument:
    case R::kDocumentTooLarge:
    case R::kExportNotFound:
    case R::kEmbeddingsNotConfigured:
    case R::kRendererUnavailable:
    case R::kInvalidDiagramSource:
    case R::kInvalidFormula:
    case R::kInvalidMapRequest:
    case R::kRenderTimeout:
    case R::kRenderTooLarge:
    case R::kRenderBusy:
    case R::kCancelled:
    case R::kUpstreamIo:
      return false;
  }
  return false;
}

// "1 minute", "15 minutes", "1 hour": the spec's rate-limit details spell windows out.
std::string WindowText(std::int64_t seconds) {
  auto unit = [](std::int64_t n, const char* one) { return std::to_string(n) + " " + one + (n == 1 ? "" : "s"); };
  if (seconds % 3600 == 0) return unit(seconds / 3600, "hour");
  if (seconds % 60 == 0) return unit(seconds / 60, "minute");
  return unit(seconds, "second");
}

}  // namespace

std::string_view ErrorTypeOf(const http::ApiError& error) {
  if (error.kind == http::ErrorKind::kUnavailable && IsLlmReason(error.reason)) return "LLM_ERROR";
  const auto reason_code = ReasonCode(error.reason);
  if (reason_code && reason_code->starts_with("FILE_")) return "FILE_ERROR";
  return CodesFor(error.kind).type;
}

namespace {

class Renderer final : public http::ErrorRenderer {
 public:
  explicit Renderer(const core::Clock& clock) : clock_(clock) {}

  http::Response Render(const http::ApiError& error, const http::Request& request) const override {
    Codes codes = CodesFor(error.kind);
    // The spec's LLM_ERROR is a 503: the core's LLM reasons (kLlmUnavailable,
    // kLlmNotConfigured, ...) are answered with it rather than the generic SVC_001.
    if (error.kind == http::ErrorKind::kUnavailable && IsLlmReason(error.reason)) {
      codes = {"LLM_ERROR", "LLM_001"};
    }
    const auto reason_code = ReasonCode(error.reason);
    codes.type = ErrorTypeOf(error);
    boost::json::object inner;
    inner["type"] = codes.type;
    inner["message"] = error.message;
    inner["code"] = error.code ? std::string_view(*error.code) : reason_code.value_or(codes.code);
    if (error.kind == http::ErrorKind::kRateLimited) {
      const auto* retry = error.details.if_contains("retry_after");
      const auto* window = error.details.if_contains("window");
      const std::int64_t seconds = retry && retry->is_int64() ? retry->as_int64() : 1;
      inner["message"] = "Rate limit exceeded. Try again in " + std::to_string(seconds) + " seconds.";
      boost::json::object details{{"retryAfter", seconds}};
      if (const auto* limit = error.details.if_contains("limit")) details["limit"] = *limit;
      if (window && window->is_int64()) details["window"] = WindowText(window->as_int64());
      inner["details"] = std::move(details);
    } else {
      inner["details"] = error.details;
    }
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
