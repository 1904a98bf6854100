#pragma once
// One chat turn as secondbrain asks for it (POST /api/chat, POST /api/voice and the
// socket's chat:message): the request's fields, the user's chat preferences as
// defaults, and the memories that match the message as the turn's context (their ids
// become the answer's retrievedContext).

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/chat/chat_service.hpp"
#include "dialects/secondbrain/deps.hpp"
#include "http/result.hpp"

namespace atrium::dialects::secondbrain {

struct ChatRequest {
  std::string message;
  std::string conversation_id;  // empty: a new conversation
  std::optional<double> temperature;
  std::optional<std::int64_t> max_tokens;
  bool voice_input = false;
};

// `text_key` is "message" (REST) or "text" (socket). 400 naming the field for a
// missing or empty message (at most 32,000 bytes), a temperature outside 0-2, a
// maxTokens outside 1-32,768 or a conversationId that is not a string.
http::Result<ChatRequest> ParseChatRequest(const boost::json::object& body, std::string_view text_key);

// The turn: defaults from the user's preferences (chat.temperature, chat.maxTokens,
// an explicitly chosen defaultModel), context from their memories, and the memory
// extraction after it unless autoSaveMemories is false. Blocking.
http::Result<core::chat::TurnOptions> TurnFor(const Deps& services, const std::string& user_id,
                                              const ChatRequest& request);

// A failed turn in the spec's terms (503 LLM_ERROR for the LLM's failures).
http::ApiError ChatError(const core::Error& error);

// An answer's metadata: tokensUsed, inferenceTime, model, retrievedContext.
boost::json::object AnswerMetadata(const core::chat::Message& answer);

}  // namespace atrium::dialects::secondbrain
