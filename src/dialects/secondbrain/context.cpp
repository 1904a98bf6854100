#include "dialects/secondbrain/context.hpp"

#include "core/identity/identity_service.hpp"
#include "dialects/common/guards.hpp"
#include "dialects/common/rate_limit.hpp"

namespace atrium::dialects::secondbrain {

namespace {

// The renderer writes the spec's own 429 message; this one only reaches logs.
constexpr const char* kRateMessage = "Rate limit exceeded. Try again in {seconds} seconds.";

}  // namespace

void AddApi(http::Site& site, http::Method method, std::string_view path, http::Handler handler,
            http::RouteOptions options) {
  site.Add(method, "/api" + std::string(path), handler, options);
  site.Add(method, "/api/v1" + std::string(path), std::move(handler), options);
}

http::Handler Context::Public(const core::ratelimit::RateRule& rule, http::Handler handler) const {
  return PerAddress(services_, rule, {.rate_message = kRateMessage}, std::move(handler));
}

http::Handler Context::Authed(const core::ratelimit::RateRule& rule, AuthedHandler handler) const {
  return PerUser(services_, rule, {.rate_message = kRateMessage, .anonymous = rules_.general}, std::move(handler));
}

http::ApiError FieldError(std::string_view field, std::string message, std::optional<boost::json::value> value) {
  http::ApiError e = http::MakeError(http::ErrorKind::kValidation, std::move(message));
  e.details["field"] = field;
  if (value) e.details["value"] = std::move(*value);
  return e;
}

http::ApiError ToApiError(const core::Error& error, std::string_view password_field) {
  http::ApiError e = http::FromCoreError(error);
  using R = core::Reason;
  switch (error.reason()) {
    case R::kEmailExists:
    case R::kInvalidEmail:
      e.details["field"] = "email";
      break;
    case R::kUsernameExists:
      e.details["field"] = "username";
      break;
    case R::kWeakPassword:
      e.details["field"] = password_field;
      break;
    case R::kUnsupportedDocument:
      e.status = 415;
      e.kind = http::ErrorKind::kUnsupportedMediaType;
      break;
    case R::kDocumentTooLarge:
    case R::kAudioTooLarge:
      e.status = 413;
      e.kind = http::ErrorKind::kPayloadTooLarge;
      break;
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
    case R::kInvalidAudio:
    case R::kAudioTooLong:
    case R::kSpeechNotConfigured:
    case R::kSpeechUnavailable:
    case R::kSpeechBusy:
    case R::kSpeechTimeout:
    case R::kInvalidVoice:
    case R::kTextTooLong:
    case R::kMemoryNotFound:
    case R::kDocumentNotFound:
    case R::kInvalidDocument:
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
      break;  // no field to name
  }
  return e;
}

core::identity::ClientContext ClientOf(const http::Request& request) {
  return {request.client_address, std::string(request.Header("User-Agent").value_or("")), std::nullopt};
}

std::string SpecTimestamp(std::string_view rfc3339) {
  // "YYYY-MM-DDTHH:MM:SSZ" is 20 characters; anything else is passed through.
  if (rfc3339.size() == 20 && rfc3339.back() == 'Z') {
    std::string out(rfc3339.substr(0, 19));
    out += ".000Z";
    return out;
  }
  return std::string(rfc3339);
}

}  // namespace atrium::dialects::secondbrain
