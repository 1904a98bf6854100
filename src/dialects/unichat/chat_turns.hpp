#pragma once
// What a unichat chat request (REST or Socket.IO) asks of the core: the config it names
// (or the conversation's) gives the model, the system prompt and the sampling.

#include <optional>
#include <string>
#include <variant>

#include "core/chat/chat_service.hpp"
#include "dialects/services.hpp"
#include "http/api_error.hpp"

namespace atrium::dialects::unichat {

struct ChatRequest {
  std::string user_id;
  std::string conversation_id;  // empty: a new conversation
  std::string config_id;        // empty: the conversation's
  std::string message;
};

core::llm::SamplingOptions SamplingFrom(const core::assistants::Parameters& p);

// Blocking (reads the config and the conversation). 400 without a message or without a
// config (none given and the conversation has none), 404 for a config or a
// conversation the user cannot see.
std::variant<core::chat::TurnOptions, http::ApiError> PlanChatTurn(const Services& services,
                                                                   const ChatRequest& request);

// For regenerating: the conversation's config, if it still has one the user can see,
// gives the model and sampling (else the conversation's model).
core::chat::RegenerateOptions PlanRegeneration(const Services& services, const std::string& user_id,
                                               const core::chat::Conversation& conversation);

}  // namespace atrium::dialects::unichat
