#pragma once
// What a chat turn is told before the user's message: the user's memories that match
// it, each with its id, as one system message (chat::TurnOptions::context). The ids
// are what the answer records as its retrieved context.

#include <cstdint>
#include <string>
#include <vector>

#include "core/memory/memory_service.hpp"
#include "core/result.hpp"

namespace atrium::core::memory {

struct TurnContext {
  std::string prompt;            // empty when nothing matched
  std::vector<std::string> ids;  // in the order given to the model
};

// At most `limit` memories relevant to `message` (MemoryService::Relevant), none when
// the message shares no word with any.
Result<TurnContext> MemoryContext(MemoryService& memories, const std::string& user_id, const std::string& message,
                                  std::int64_t limit = 5);

// The system message for `items` (id, text), or "" when there are none.
std::string ContextPrompt(const std::vector<std::pair<std::string, std::string>>& items);

}  // namespace atrium::core::memory
