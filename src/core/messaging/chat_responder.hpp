#pragma once
// Answers messaging channels (WhatsApp) through the chat core: each sender has one
// conversation that continues from message to message, so the assistant keeps context.

#include <mutex>
#include <string>
#include <unordered_map>

#include "core/chat/chat_service.hpp"
#include "core/messaging/responder.hpp"

namespace atrium::core::messaging {

class ChatResponder final : public Responder {
 public:
  explicit ChatResponder(chat::ChatService& chat) : chat_(chat) {}
  Result<std::string> Reply(const IncomingText& message) override;

 private:
  static constexpr std::size_t kMaxSenders = 10000;
  chat::ChatService& chat_;
  std::mutex mu_;
  // (channel, sender) -> conversation id, for as long as the process runs; after a
  // restart a sender starts a new conversation.
  std::unordered_map<std::string, std::string> conversations_;
};

}  // namespace atrium::core::messaging
