#include "core/reason.hpp"

namespace atrium::core {

std::string_view ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kNone:
      return "none";
    case Reason::kMissingCredentials:
      return "missing_credentials";
    case Reason::kInvalidCredentials:
      return "invalid_credentials";
    case Reason::kMissingToken:
      return "missing_token";
    case Reason::kInvalidToken:
      return "invalid_token";
    case Reason::kTokenExpired:
      return "token_expired";
    case Reason::kTokenReused:
      return "token_reused";
    case Reason::kSessionRevoked:
      return "session_revoked";
    case Reason::kSessionNotFound:
      return "session_not_found";
    case Reason::kInvalidApiKey:
      return "invalid_api_key";
    case Reason::kAccountBanned:
      return "account_banned";
    case Reason::kAccountInactive:
      return "account_inactive";
    case Reason::kAccountLocked:
      return "account_locked";
    case Reason::kDeviceNotFound:
      return "device_not_found";
    case Reason::kUserNotFound:
      return "user_not_found";
    case Reason::kEmailExists:
      return "email_exists";
    case Reason::kUsernameExists:
      return "username_exists";
    case Reason::kInvalidEmail:
      return "invalid_email";
    case Reason::kWeakPassword:
      return "weak_password";
    case Reason::kCannotBanAdmin:
      return "cannot_ban_admin";
    case Reason::kCannotBanSelf:
      return "cannot_ban_self";
    case Reason::kInvalidMessage:
      return "invalid_message";
    case Reason::kInvalidPrompt:
      return "invalid_prompt";
    case Reason::kConversationNotFound:
      return "conversation_not_found";
    case Reason::kMessageNotFound:
      return "message_not_found";
    case Reason::kTokenLimitExceeded:
      return "token_limit_exceeded";
    case Reason::kAbandoned:
      return "abandoned";
    case Reason::kConfigNotFound:
      return "config_not_found";
    case Reason::kTemplateNotFound:
      return "template_not_found";
    case Reason::kImageNotFound:
      return "image_not_found";
    case Reason::kArenaConfigCount:
      return "arena_config_count";
    case Reason::kInvalidDays:
      return "invalid_days";
    case Reason::kNotConfigured:
      return "not_configured";
    case Reason::kLlmNotConfigured:
      return "llm_not_configured";
    case Reason::kLlmUnavailable:
      return "llm_unavailable";
    case Reason::kLlmBusy:
      return "llm_busy";
    case Reason::kLlmRateLimited:
      return "llm_rate_limited";
    case Reason::kLlmRejected:
      return "llm_rejected";
    case Reason::kLlmStreamInterrupted:
      return "llm_stream_interrupted";
    case Reason::kLlmBadResponse:
      return "llm_bad_response";
    case Reason::kLlmEmptyAnswer:
      return "llm_empty_answer";
    case Reason::kModelNotFound:
      return "model_not_found";
    case Reason::kCancelled:
      return "cancelled";
    case Reason::kUpstreamIo:
      return "upstream_io";
    case Reason::kInvalidAudio:
      return "invalid_audio";
    case Reason::kAudioTooLarge:
      return "audio_too_large";
    case Reason::kAudioTooLong:
      return "audio_too_long";
    case Reason::kSpeechNotConfigured:
      return "speech_not_configured";
    case Reason::kSpeechUnavailable:
      return "speech_unavailable";
    case Reason::kSpeechBusy:
      return "speech_busy";
    case Reason::kSpeechTimeout:
      return "speech_timeout";
    case Reason::kInvalidVoice:
      return "invalid_voice";
    case Reason::kTextTooLong:
      return "text_too_long";
    case Reason::kMemoryNotFound:
      return "memory_not_found";
    case Reason::kDocumentNotFound:
      return "document_not_found";
    case Reason::kUnsupportedDocument:
      return "unsupported_document";
    case Reason::kInvalidDocument:
      return "invalid_document";
    case Reason::kDocumentTooLarge:
      return "document_too_large";
    case Reason::kExportNotFound:
      return "export_not_found";
    case Reason::kEmbeddingsNotConfigured:
      return "embeddings_not_configured";
    case Reason::kRendererUnavailable:
      return "renderer_unavailable";
    case Reason::kInvalidDiagramSource:
      return "invalid_diagram_source";
    case Reason::kInvalidFormula:
      return "invalid_formula";
    case Reason::kInvalidMapRequest:
      return "invalid_map_request";
    case Reason::kRenderTimeout:
      return "render_timeout";
    case Reason::kRenderTooLarge:
      return "render_too_large";
    case Reason::kRenderBusy:
      return "render_busy";
  }
  return "";
}

std::optional<Reason> ReasonFromName(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(kLastReason); ++i) {
    const auto reason = static_cast<Reason>(i);
    if (ReasonName(reason) == name) return reason;
  }
  return std::nullopt;
}

}  // namespace atrium::core
