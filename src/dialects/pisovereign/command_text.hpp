#pragma once
// Plain-text answers for messaging channels: a message that parses as a read-only
// command is run and its result written as a short text; a state change is described
// and left for approval; anything else goes to the responder (the chat core), and when
// no model can answer, kLlmUnavailableReply is sent instead of invented text.

#include <string>

#include "dialects/pisovereign/deps.hpp"

namespace atrium::dialects::pisovereign {

inline constexpr const char* kLlmUnavailableReply =
    "Sorry, the assistant cannot answer right now (LLM unavailable). Commands still work: send \"help\".";

std::string AnswerText(const Deps& services, const std::string& user_id, const std::string& sender,
                       const std::string& text);

}  // namespace atrium::dialects::pisovereign
