#include "dialects/unichat/chat_request.hpp"

#include "core/assistants/sampling.hpp"

#include <boost/json.hpp>

#include "core/assistants/assistant_config_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "dialects/common/fields.hpp"
#include "dialects/unichat/unichat_context.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;

http::ApiError Bad(std::string message) { return http::MakeError(http::ErrorKind::kValidation, std::move(message)); }

// A field that is absent, null or a non-empty string.
http::Result<std::optional<std::string>> OptionalId(const json::object& body, const char* key) {
  auto field = StringField(body, key);
  if (field.absent()) return std::optional<std::string>{};
  if (field.wrong_type()) return Bad(std::string(key) + " must be a string");
  if (field.value.empty()) return Bad(std::string(key) + " must not be empty");
  return std::optional<std::string>(std::move(field.value));
}

}  // namespace

http::Result<SendRequest> ParseSendRequest(const json::object& body) {
  SendRequest r;
  const auto* message = body.if_contains("message");
  if (message == nullptr || message->is_null()) return Bad("message is required");
  if (!message->is_string()) return Bad("message must be a string");
  if (message->as_string().find_first_not_of(" \t\r\n") == json::string::npos) return Bad("message must not be empty");
  r.message = std::string(message->as_string());
  auto conversation_id = OptionalId(body, "conversation_id");
  if (!conversation_id) return std::move(conversation_id).error();
  r.conversation_id = conversation_id->value_or("");
  auto config_id = OptionalId(body, "config_id");
  if (!config_id) return std::move(config_id).error();
  r.config_id = *config_id;
  if (const auto* a = body.if_contains("attachments"); a != nullptr && !a->is_null()) {
    if (!a->is_array()) return Bad("attachments must be an array");
    if (!a->as_array().empty()) return Bad("attachments are not supported");
  }
  return r;
}

http::Result<core::chat::TurnOptions> TurnFor(const Deps& services, const std::string& user_id, SendRequest request) {
  std::optional<std::string> config_id = request.config_id;
  if (!request.conversation_id.empty()) {
    auto conversation = services.conversations.Get(user_id, request.conversation_id);
    if (!conversation) return ToApiError(conversation.error());
    if (!config_id) config_id = conversation->config_id;
  }
  if (!config_id) return Bad("config_id is required");
  auto config = services.assistants.Get(user_id, *config_id);
  if (!config) return ToApiError(config.error());
  core::chat::TurnOptions o;
  o.user_id = user_id;
  o.conversation_id = std::move(request.conversation_id);
  o.content = std::move(request.message);
  o.model = config->model_id;
  o.sampling = core::assistants::SamplingFrom(config->parameters);
  if (!config->system_prompt.empty()) o.system_prompt = config->system_prompt;
  if (o.conversation_id.empty()) {
    o.new_conversation.config_id = config->id;
    o.new_conversation.model = config->model_id;
  }
  return o;
}

http::Result<core::chat::RegenerateOptions> RegenerateFor(const Deps& services, const std::string& user_id,
                                                          const std::string& conversation_id) {
  auto conversation = services.conversations.Get(user_id, conversation_id);
  if (!conversation) return ToApiError(conversation.error());
  core::chat::RegenerateOptions o;
  o.user_id = user_id;
  o.conversation_id = conversation->id;
  if (conversation->config_id) {
    auto config = services.assistants.Get(user_id, *conversation->config_id);
    if (config) {
      o.model = config->model_id;
      o.sampling = core::assistants::SamplingFrom(config->parameters);
    } else if (config.error().code() != core::ErrorCode::kNotFound) {
      return ToApiError(config.error());
    }
  }
  return o;
}

http::ApiError ChatError(const core::Error& error) {
  using R = core::Reason;
  switch (error.reason()) {
    case R::kLlmBusy:
    case R::kLlmRateLimited: {
      auto e = http::MakeError(http::ErrorKind::kUnavailable, error.safe_message());
      e.reason = error.reason();
      e.headers.Set("Retry-After", "1");
      return e;
    }
    case R::kLlmNotConfigured:
    case R::kLlmUnavailable:
    case R::kLlmRejected:
    case R::kLlmStreamInterrupted:
    case R::kLlmBadResponse:
    case R::kLlmEmptyAnswer: {
      auto e = http::MakeError(http::ErrorKind::kUnavailable, error.safe_message());
      e.reason = error.reason();
      return e;
    }
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
      break;
  }
  return ToApiError(error);
}

}  // namespace atrium::dialects::unichat
