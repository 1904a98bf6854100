#include "dialects/unichat/chat_turns.hpp"

#include "dialects/unichat/unichat_context.hpp"

namespace atrium::dialects::unichat {

namespace {

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

core::llm::SamplingOptions SamplingFrom(const core::assistants::Parameters& p) {
  core::llm::SamplingOptions s;
  s.temperature = p.temperature;
  s.top_p = p.top_p;
  s.max_tokens = p.max_tokens;
  s.frequency_penalty = p.frequency_penalty;
  s.presence_penalty = p.presence_penalty;
  return s;
}

std::variant<core::chat::TurnOptions, http::ApiError> PlanChatTurn(const Services& services, const ChatRequest& r) {
  if (Blank(r.message)) return http::MakeError(http::ErrorKind::kValidation, "Message is required");
  if (services.conversations == nullptr || services.chat == nullptr) {
    return http::MakeError(http::ErrorKind::kUnavailable, "Chat is not available");
  }
  core::chat::TurnOptions options;
  options.user_id = r.user_id;
  options.conversation_id = r.conversation_id;
  options.content = r.message;
  std::string config_id = r.config_id;
  if (!r.conversation_id.empty()) {
    auto conversation = services.conversations->Get(r.user_id, r.conversation_id);
    if (!conversation) return ToApiError(conversation.error());
    if (config_id.empty()) config_id = conversation->config_id.value_or("");
  }
  if (config_id.empty()) return http::MakeError(http::ErrorKind::kValidation, "config_id is required");
  auto config = services.assistants.Get(r.user_id, config_id);
  if (!config) return ToApiError(config.error());
  options.model = config->model_id;
  options.system_prompt = config->system_prompt;
  options.sampling = SamplingFrom(config->parameters);
  options.new_conversation.config_id = config->id;
  return options;
}

core::chat::RegenerateOptions PlanRegeneration(const Services& services, const std::string& user_id,
                                               const core::chat::Conversation& conversation) {
  core::chat::RegenerateOptions options;
  options.user_id = user_id;
  options.conversation_id = conversation.id;
  if (conversation.config_id) {
    if (auto config = services.assistants.Get(user_id, *conversation.config_id)) {
      options.model = config->model_id;
      options.sampling = SamplingFrom(config->parameters);
    }
  }
  return options;
}

}  // namespace atrium::dialects::unichat
