#include "core/memory/turn_context.hpp"

namespace atrium::core::memory {

std::string ContextPrompt(const std::vector<std::pair<std::string, std::string>>& items) {
  if (items.empty()) return "";
  std::string prompt =
      "What you know about the user and their documents, each line with its id in brackets. Use what helps "
      "answer the next message; do not mention ids unless asked.\n";
  for (const auto& [id, text] : items) {
    prompt += "[" + id + "] ";
    for (const char c : text) prompt += (c == '\n' || c == '\r') ? ' ' : c;
    prompt += '\n';
  }
  return prompt;
}

Result<TurnContext> MemoryContext(MemoryService& memories, const std::string& user_id, const std::string& message,
                                  std::int64_t limit) {
  auto found = memories.Relevant(user_id, message, limit);
  if (!found) return found.error();
  TurnContext context;
  std::vector<std::pair<std::string, std::string>> items;
  for (const auto& r : *found) {
    context.ids.push_back(r.memory.id);
    items.emplace_back(r.memory.id, r.memory.content);
  }
  context.prompt = ContextPrompt(items);
  return context;
}

}  // namespace atrium::core::memory
