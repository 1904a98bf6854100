#include "dialects/unichat/unichat_context.hpp"

#include "dialects/common/guards.hpp"

namespace atrium::dialects::unichat {

http::ApiError ToApiError(const core::Error& error) {
  http::ApiError e = http::FromCoreError(error);
  using R = core::Reason;
  switch (error.reason()) {
    case R::kInvalidCredentials:
      e.message = "Invalid email or password";
      break;
    case R::kAccountBanned:
      e.message = "Account banned";
      break;
    case R::kEmailExists:
      e.message = "Email already registered";
      break;
    case R::kTokenLimitExceeded:  // the spec's "429 - Token limit reached"
      e = http::MakeError(http::ErrorKind::kRateLimited, "Token limit reached");
      e.reason = error.reason();
      break;
    case R::kNone:
    case R::kMissingCredentials:
    case R::kMissingToken:
    case R::kInvalidToken:
    case R::kTokenExpired:
    case R::kTokenReused:
    case R::kSessionRevoked:
    case R::kSessionNotFound:
    case R::kInvalidApiKey:
    case R::kAccountInactive:
    case R::kAccountLocked:
    case R::kDeviceNotFound:
    case R::kUserNotFound:
    case R::kUsernameExists:
    case R::kInvalidEmail:
    case R::kWeakPassword:
    case R::kCannotBanAdmin:
    case R::kCannotBanSelf:
    case R::kInvalidMessage:
    case R::kInvalidPrompt:
    case R::kConversationNotFound:
    case R::kMessageNotFound:
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
      break;  // the neutral mapping stands
  }
  return e;
}

http::Handler Context::Public(const core::ratelimit::RateRule& rule, http::Handler handler) const {
  return PerAddress(services_, rule, {}, std::move(handler));
}

http::Handler Context::Authed(const core::ratelimit::RateRule& rule, AuthedHandler handler) const {
  return PerUser(services_, rule, {}, std::move(handler));
}

http::Handler Context::Admin(const core::ratelimit::RateRule& rule, AuthedHandler handler) const {
  return Authed(rule, [handler = std::move(handler)](http::Request& req, const core::identity::Principal& who) {
    if (who.role != core::identity::Role::kAdmin) {
      return http::Reply{http::MakeError(http::ErrorKind::kForbidden, "Admin access required")};
    }
    return handler(req, who);
  });
}

}  // namespace atrium::dialects::unichat
