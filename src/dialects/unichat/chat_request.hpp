#pragma once
// A unichat chat request ({conversation_id?, config_id?, message, attachments?}, from
// POST /api/chat/send or the Socket.IO send_message event) turned into a core chat
// turn: the assistant config supplies the model, the system prompt and the sampling
// parameters. Also the mapping of chat failures to unichat's answers.

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/assistants/assistant_config.hpp"
#include "core/chat/chat_service.hpp"
#include "dialects/unichat/deps.hpp"
#include "http/api_error.hpp"
#include "http/result.hpp"

namespace atrium::dialects::unichat {

struct SendRequest {
  std::string conversation_id;           // empty: a new conversation
  std::optional<std::string> config_id;  // unset: the conversation's config
  std::string message;
};

// 400 for a missing or empty message, a non-string id, or attachments that are not an
// empty array (attachments are not supported; an empty array is accepted).
http::Result<SendRequest> ParseSendRequest(const boost::json::object& body);

// Blocking (reads the conversation and the config). The config is the request's or, when
// it names none, the conversation's: 400 "config_id is required" when neither has one,
// 404 "Config not found" when it is not one the user can see, 404 "Conversation not
// found" for a conversation that is not the user's. A new conversation records the
// config, its system prompt and its model; an existing one keeps its own config_id
// (the request's config applies to this turn only).
http::Result<core::chat::TurnOptions> TurnFor(const Deps& services, const std::string& user_id, SendRequest request);

// Blocking. The model and sampling for answering a conversation again: its config's,
// when it still has one the user can see, else the conversation's model and the
// upstream's defaults. The system prompt is always the conversation's.
http::Result<core::chat::RegenerateOptions> RegenerateFor(const Deps& services, const std::string& user_id,
                                                          const std::string& conversation_id);

// 503 with the core's message for an LLM upstream that is missing, down, busy or rate
// limited (Retry-After for the last two); otherwise the usual mapping (ToApiError,
// which answers the user's token limit with 429 {"error": "Token limit reached"}).
http::ApiError ChatError(const core::Error& error);

}  // namespace atrium::dialects::unichat
