#pragma once
// What a chat turn tells the bus, in the core's own types. Each event goes to the turn's
// user topic and its conversation topic at once (one publish, see EventBus::Publish);
// each dialect formats the ones it relays in its own wire shape.

#include <cstdint>
#include <optional>
#include <string>

#include "core/chat/conversation.hpp"
#include "core/reason.hpp"
#include "core/result.hpp"

namespace atrium::core::chat {

// The assistant's answer has begun ("message.started").
struct MessageStarted {
  std::string conversation_id;
  std::string message_id;       // the assistant message being written
  std::string user_message_id;  // the message it answers; empty for a regeneration
  std::string model;

  bool operator==(const MessageStarted&) const = default;
};

// A piece of the answer ("message.delta"). Published only while someone follows the
// user or the conversation topic.
struct MessageDelta {
  std::string conversation_id;
  std::string message_id;
  std::string delta;

  bool operator==(const MessageDelta&) const = default;
};

// Token counts of a finished answer.
struct MessageUsage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;

  bool operator==(const MessageUsage&) const = default;
};

// The answer is stored ("message.done").
struct MessageDone {
  std::string conversation_id;
  std::string message_id;
  std::string content;
  MessageStatus status = MessageStatus::kComplete;
  std::string model;
  MessageUsage usage;
  std::int64_t generation_ms = 0;
  std::optional<double> cost_usd;

  bool operator==(const MessageDone&) const = default;
};

// The turn failed ("message.error"); nothing was stored for the answer.
struct MessageError {
  std::string conversation_id;
  std::string message_id;
  ErrorCode code = ErrorCode::kInternal;
  Reason reason = Reason::kNone;
  std::string message;  // the error's safe message

  bool operator==(const MessageError&) const = default;
};

// A new conversation got its generated title ("conversation.title").
struct ConversationTitle {
  std::string conversation_id;
  std::string title;

  bool operator==(const ConversationTitle&) const = default;
};

}  // namespace atrium::core::chat
