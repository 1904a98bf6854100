#include "dialects/unamentis/request_guard.hpp"

#include "core/identity/identity_service.hpp"
#include "dialects/common/auth.hpp"
#include "dialects/common/guards.hpp"
#include "dialects/common/rate_limit.hpp"

namespace atrium::dialects::unamentis {

std::string AddressKey(const http::Request& request) { return "ip:" + request.client_address; }

http::Reply Limited(const Deps& services, const core::ratelimit::RateRule& rule, const std::string& key,
                    const std::function<http::Reply()>& run) {
  return dialects::Limited(services, rule, key, /*window_header=*/true, "Rate limit exceeded", run);
}

http::ApiError AuthError(const core::Error& error) {
  http::ApiError e = http::FromCoreError(error);
  using R = core::Reason;
  switch (error.reason()) {
    case R::kAccountBanned:
      e.status = 401;
      e.kind = http::ErrorKind::kUnauthorized;
      e.reason = R::kAccountInactive;
      break;
    case R::kDeviceNotFound:
    case R::kSessionNotFound:
    case R::kUserNotFound:
      e.code = "not_found";
      break;
    case R::kNone:
    case R::kMissingCredentials:
    case R::kInvalidCredentials:
    case R::kMissingToken:
    case R::kInvalidToken:
    case R::kTokenExpired:
    case R::kTokenReused:
    case R::kSessionRevoked:
    case R::kInvalidApiKey:
    case R::kAccountInactive:
    case R::kAccountLocked:
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

http::Result<core::identity::Principal> Authenticate(const CommonDeps& services, const http::Request& request) {
  const auto token = http::BearerToken(request);
  if (!token) {
    http::ApiError e = http::MakeError(http::ErrorKind::kUnauthorized, "Authentication required");
    e.code = "unauthorized";
    return e;
  }
  auto principal = services.identity.Authenticate(*token);
  if (!principal) return AuthError(principal.error());
  return std::move(*principal);
}

namespace {

GuardStyle Style(std::optional<core::ratelimit::RateRule> anonymous) {
  return {.window_header = true,
          .rate_message = "Rate limit exceeded",
          .authenticate = Authenticate,
          .anonymous = std::move(anonymous)};
}

}  // namespace

http::Handler ByAddress(const Deps& services, core::ratelimit::RateRule rule, http::Handler handler) {
  return PerAddress(services, std::move(rule), Style(std::nullopt), std::move(handler));
}

http::Handler ForUser(const Deps& services, core::ratelimit::RateRule rule, core::ratelimit::RateRule anonymous,
                      UserHandler handler) {
  return PerUser(services, std::move(rule), Style(std::move(anonymous)), std::move(handler));
}

}  // namespace atrium::dialects::unamentis
