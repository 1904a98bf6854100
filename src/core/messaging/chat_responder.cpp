#include "core/messaging/chat_responder.hpp"

namespace atrium::core::messaging {

Result<std::string> ChatResponder::Reply(const IncomingText& message) {
  const std::string key = message.channel + ":" + message.sender;
  chat::TurnOptions turn;
  turn.user_id = message.user_id;
  turn.content = message.text;
  {
    std::lock_guard lock(mu_);
    if (auto it = conversations_.find(key); it != conversations_.end()) turn.conversation_id = it->second;
  }
  if (turn.conversation_id.empty()) turn.new_conversation.title = "WhatsApp " + message.sender;
  auto result = chat_.Send(turn);
  if (!result && !turn.conversation_id.empty() && result.error().code() == ErrorCode::kNotFound) {
    turn.conversation_id.clear();  // the conversation was deleted meanwhile: start a new one
    turn.new_conversation.title = "WhatsApp " + message.sender;
    result = chat_.Send(turn);
  }
  if (!result) return result.error();
  {
    std::lock_guard lock(mu_);
    if (conversations_.size() >= kMaxSenders) conversations_.clear();  // bounded: senders start afresh
    conversations_[key] = result->conversation.id;
  }
  return result->assistant_message.content;
}

}  // namespace atrium::core::messaging
