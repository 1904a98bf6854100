#pragma once
// A POST /v1/chat/completions body, checked the way OpenAI checks it (400
// invalid_request_error naming the parameter) and turned into neutral values.

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/llm/generation.hpp"
#include "http/result.hpp"

namespace atrium::dialects::openai {

struct ChatRequest {
  std::string model;
  std::string system_prompt;                    // the system/developer messages, joined
  std::vector<core::llm::ChatMessage> history;  // user/assistant turns before the last
  std::string content;                          // the last message (the user's)
  core::llm::SamplingOptions sampling;
  bool stream = false;
  bool include_usage = false;
  std::string user;
};

http::Result<ChatRequest> ParseChatRequest(const boost::json::object& body);

}  // namespace atrium::dialects::openai
