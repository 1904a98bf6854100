#pragma once
// Free-text answers for messaging channels (WhatsApp): the seam where the chat core
// plugs in. Until an implementation is wired in app/, UnavailableResponder answers
// kUnavailable and the channel sends its documented "assistant unavailable" text.

#include <string>

#include "core/result.hpp"

namespace atrium::core::messaging {

struct IncomingText {
  std::string channel;  // "whatsapp"
  std::string sender;   // the channel's id of the sender (a phone number)
  std::string user_id;  // the Atrium user the channel acts for
  std::string text;
};

class Responder {
 public:
  virtual ~Responder() = default;
  // The assistant's answer to `message`; may block (an LLM call). kUnavailable when no
  // model can answer.
  virtual Result<std::string> Reply(const IncomingText& message) = 0;
};

class UnavailableResponder final : public Responder {
 public:
  Result<std::string> Reply(const IncomingText&) override {
    return Error(ErrorCode::kUnavailable, "LLM unavailable").WithReason(Reason::kLlmUnavailable);
  }
};

}  // namespace atrium::core::messaging
