#pragma once
// Conversations and their messages, as every dialect's chat features see them. Each
// belongs to one user and is invisible to every other.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace atrium::core::chat {

struct TokenStats {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  double cost_usd = 0;
};

struct Conversation {
  std::string id;
  std::string user_id;
  std::string title;
  std::optional<std::string> config_id;  // an assistant/model configuration, when chosen
  std::optional<std::string> folder_id;
  std::vector<std::string> tags;
  bool pinned = false;
  bool archived = false;
  std::optional<std::string> summary;
  std::string system_prompt;
  std::string model;  // the model last used (or chosen); empty: the default
  std::int64_t message_count = 0;
  std::optional<std::string> last_message_at;
  TokenStats stats;
  std::string created_at;
  std::string updated_at;
};

struct MessageEdit {
  std::string content;  // the text before the edit
  std::string edited_at;
};

// What a generated message records of its generation.
struct GenerationMetadata {
  std::string model;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  bool tokens_estimated = false;  // counted here, not reported by the upstream
  std::int64_t generation_ms = 0;
  std::int64_t first_token_ms = 0;
  std::optional<double> cost_usd;
  std::string finish_reason;
};

enum class MessageStatus { kComplete, kCancelled };

// What a front door records about a message beyond its text.
struct MessageAnnotations {
  bool voice_input = false;              // the user's message came from speech-to-text
  std::vector<std::string> context_ids;  // memories and document chunks the turn was given

  bool operator==(const MessageAnnotations&) const = default;
};

struct Message {
  std::string id;
  std::string conversation_id;
  std::string role;  // "system", "user" or "assistant"
  std::string content;
  MessageStatus status = MessageStatus::kComplete;
  std::optional<GenerationMetadata> generation;  // assistant messages
  std::vector<MessageEdit> edit_history;         // oldest first
  MessageAnnotations annotations;
  std::string created_at;
  std::string updated_at;
};

// A new conversation's fields.
struct NewConversation {
  std::string title;
  std::optional<std::string> config_id;
  std::optional<std::string> folder_id;
  std::vector<std::string> tags;
  std::string system_prompt;
  std::string model;
};

// Fields to change; unset ones stay. An empty optional-of-optional clears nothing.
struct ConversationPatch {
  std::optional<std::string> title;
  std::optional<std::optional<std::string>> config_id;
  std::optional<std::optional<std::string>> folder_id;
  std::optional<std::vector<std::string>> tags;
  std::optional<bool> pinned;
  std::optional<bool> archived;
  std::optional<std::optional<std::string>> summary;
  std::optional<std::string> system_prompt;
  std::optional<std::string> model;
};

// What a conversation list is ordered by (after pinned ones first). kLastMessageAt
// orders a conversation without messages by its creation time.
enum class ConversationSort { kLastMessageAt, kCreatedAt, kUpdatedAt, kTitle, kMessageCount };

struct ListOptions {
  std::optional<bool> archived;  // unset: both
  std::optional<bool> pinned;
  std::optional<std::string> folder_id;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
  // Words that must all be in the title, matched as Search matches them (the last one
  // as a prefix). Empty: every title; text without words matches none.
  std::string title_search;
  ConversationSort sort = ConversationSort::kUpdatedAt;
  bool ascending = false;  // ties go by creation order in the same direction
};

// One page of a longer list: `total` counts every item the query matched.
template <class T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
};

struct SearchHit {
  std::string conversation_id;
  std::string conversation_title;
  std::optional<std::string> message_id;  // unset when the title matched
  std::string role;
  std::string snippet;  // the matching text, terms wrapped in <mark></mark>
  std::string created_at;
};

// A message whose content matched a search.
struct MessageHit {
  Message message;
  std::string conversation_title;
  std::string snippet;  // the matching text, terms wrapped in <mark></mark>
};

std::string_view StatusName(MessageStatus s);

}  // namespace atrium::core::chat
