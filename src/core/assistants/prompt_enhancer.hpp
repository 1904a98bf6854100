#pragma once
// Rewrites an assistant's system prompt through a language model ("enhance prompt"):
// one non-streamed generation with an instruction to improve the prompt and answer only
// the improved prompt. The tokens it spends are charged to the user like chat tokens.

#include <string>

#include "core/chat/conversation_store.hpp"
#include "core/llm/generation.hpp"
#include "core/result.hpp"

namespace atrium::core::assistants {

inline constexpr std::size_t kMaxEnhancePromptChars = 10000;

// The system instruction sent with the user's prompt.
inline constexpr const char* kEnhanceInstruction =
    "You improve system prompts for AI assistants. The user's message is a system prompt. Rewrite it so that "
    "it is clear, specific and complete: state the assistant's role, its goals, its tone and any rules or "
    "constraints it implies, keeping the author's intent and language. Answer with the improved system prompt "
    "only: no preamble, no explanation, no quotes around it.";

struct EnhancedPrompt {
  std::string prompt;  // the model's answer, trimmed
  llm::TokenUsage usage;
  std::string model;
};

// Blocks (call it from a worker thread). Errors: kInvalidArgument for an empty or blank
// prompt or one over kMaxEnhancePromptChars code points (checked before any upstream
// call); kResourceExhausted "token_limit_exceeded" when the user's budget is spent;
// the generator's errors as they are; kUnavailable "llm_empty_answer" when the model
// answered nothing. On success the usage is added to the user's token counter.
Result<EnhancedPrompt> EnhancePrompt(llm::Generator& generator, chat::ConversationStore& store,
                                     const std::string& user_id, const std::string& prompt);

}  // namespace atrium::core::assistants
