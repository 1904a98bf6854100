#include "dialects/common/reason_code.hpp"

namespace atrium::dialects {

std::string_view SnakeCaseReason(core::Reason reason) {
  using R = core::Reason;
  switch (reason) {
    case R::kNone:
      return "";
    case R::kMissingCredentials:
      return "missing_credentials";
    case R::kInvalidCredentials:
      return "invalid_credentials";
    case R::kMissingToken:
      return "missing_token";
    case R::kInvalidToken:
      return "invalid_token";
    case R::kTokenExpired:
      return "token_expired";
    case R::kTokenReused:
      return "token_reused";
    case R::kSessionRevoked:
      return "session_revoked";
    case R::kSessionNotFound:
      return "session_not_found";
    case R::kInvalidApiKey:
      return "invalid_api_key";
    case R::kAccountBanned:
      return "account_banned";
    case R::kAccountInactive:
      return "account_inactive";
    case R::kAccountLocked:
      return "account_locked";
    case R::kDeviceNotFound:
      return "device_not_found";
    case R::kUserNotFound:
      return "user_not_found";
    case R::kEmailExists:
      return "email_exists";
    case R::kUsernameExists:
      return "username_exists";
    case R::kInvalidEmail:
      return "invalid_email";
    case R::kWeakPassword:
      return "weak_password";
    case R::kCannotBanAdmin:
      return "cannot_ban_admin";
    case R::kCannotBanSelf:
      return "cannot_ban_self";
    case R::kInvalidMessage:
      return "invalid_message";
    case R::kInvalidPrompt:
      return "invalid_prompt";
    case R::kConversationNotFound:
      return "conversation_not_found";
    case R::kMessageNotFound:
      return "message_not_found";
    case R::kTokenLimitExceeded:
      return "token_limit_exceeded";
    case R::kAbandoned:
      return "abandoned";
    case R::kConfigNotFound:
      return "config_not_found";
    case R::kTemplateNotFound:
      return "template_not_found";
    case R::kImageNotFound:
      return "image_not_found";
    case R::kArenaConfigCount:
      return "arena_config_count";
    case R::kInvalidDays:
      return "invalid_days";
    case R::kNotConfigured:
      return "not_configured";
    case R::kLlmNotConfigured:
      return "llm_not_configured";
    case R::kLlmUnavailable:
      return "llm_unavailable";
    case R::kLlmBusy:
      return "llm_busy";
    case R::kLlmRateLimited:
      return "llm_rate_limited";
    case R::kLlmRejected:
      return "llm_rejected";
    case R::kLlmStreamInterrupted:
      return "llm_stream_interrupted";
    case R::kLlmBadResponse:
      return "llm_bad_response";
    case R::kLlmEmptyAnswer:
      return "llm_empty_answer";
    case R::kModelNotFound:
      return "model_not_found";
    case R::kCancelled:
      return "cancelled";
    case R::kUpstreamIo:
      return "upstream_io";
  }
  return "";
}

}  // namespace atrium::dialects
