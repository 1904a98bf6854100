#pragma once
// Conversations and messages in the database, owner-scoped: every call names the user,
// and another user's conversation or message is "not found", never "forbidden".
// Full-text search (SQLite FTS5) over titles and message content.
//
// Thread-safety: like storage::Database, every method may be called from any thread;
// all of them block, so call them from worker threads.

#include <string>
#include <vector>

#include "core/chat/conversation.hpp"
#include "core/clock.hpp"
#include "core/identity/user.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace atrium::core::chat {

// Everything one chat turn stores, applied in a single transaction: either all of it
// is stored or none of it.
struct TurnRecord {
  std::string user_id;
  std::string conversation_id;
  // Set: the conversation does not exist yet and is created with these fields.
  std::optional<NewConversation> create;
  // A user message whose content is replaced (the old one goes to its edit history).
  std::optional<std::string> edit_message_id;
  std::string edit_content;
  // Every message after this one is deleted (regenerate, edit-then-regenerate).
  std::optional<std::string> truncate_after_message_id;
  // New messages, in order; ids and timestamps are the caller's.
  std::vector<Message> append;
  std::int64_t user_messages = 0;    // added to the user's messages_sent
  TokenStats usage;                  // added to the conversation's and the user's counters
  std::optional<std::string> model;  // the conversation's model from now on
};

class ConversationStore {
 public:
  ConversationStore(storage::Database& db, const Clock& clock, Random& random);

  Result<Conversation> Create(const std::string& user_id, const NewConversation& fields);
  Result<Conversation> Get(const std::string& user_id, const std::string& conversation_id);
  Result<std::vector<Conversation>> List(const std::string& user_id, const ListOptions& options);
  // List's page and the number of conversations matching the same filters.
  Result<Page<Conversation>> ListPage(const std::string& user_id, const ListOptions& options);
  // Every conversation of the user, archived ones included.
  Result<std::int64_t> Count(const std::string& user_id);
  Result<Conversation> Update(const std::string& user_id, const std::string& conversation_id,
                              const ConversationPatch& patch);
  Result<void> Delete(const std::string& user_id, const std::string& conversation_id);

  // Oldest first.
  Result<std::vector<Message>> Messages(const std::string& user_id, const std::string& conversation_id);
  // Oldest first, `limit` (1-1000) from `offset`; total is the conversation's message count.
  Result<Page<Message>> MessagesPage(const std::string& user_id, const std::string& conversation_id, std::int64_t limit,
                                     std::int64_t offset);
  Result<Message> GetMessage(const std::string& user_id, const std::string& message_id);

  // Replaces a message's content; the old content goes to its edit history. Nothing else
  // in the conversation changes (but its updated_at). Any role: callers that allow
  // only some check the role first.
  Result<Message> EditMessage(const std::string& user_id, const std::string& message_id, const std::string& content);

  // Deletes one message; the conversation's message_count and last_message_at (the
  // newest remaining message's time, null when none is left) follow. Token counters
  // stay: what was spent stays spent.
  Result<void> DeleteMessage(const std::string& user_id, const std::string& message_id);

  // Terms are matched as words (prefix match on the last one), all of them required;
  // FTS syntax in `query` is treated as text. Newest first.
  Result<std::vector<SearchHit>> Search(const std::string& user_id, const std::string& query, std::int64_t limit);
  // Messages only, matched like Search, newest first; `limit` 1-200, total counts every
  // match.
  Result<Page<MessageHit>> SearchMessages(const std::string& user_id, const std::string& query, std::int64_t limit);

  // kNotFound when the conversation (or a message named) is not the user's; a created
  // conversation is new by construction.
  Result<void> CommitTurn(const TurnRecord& turn);

  // The user's token counters (for the limit check before a generation).
  Result<identity::Usage> UsageOf(const std::string& user_id);

  // Adds tokens spent outside a conversation (embeddings) to the user's counter.
  Result<void> AddUsage(const std::string& user_id, std::int64_t tokens);

  // Sets the title only while it is still `expected` (a title the user set meanwhile
  // wins). True when it was set.
  Result<bool> SetTitleIf(const std::string& user_id, const std::string& conversation_id, const std::string& expected,
                          const std::string& title);

  std::string NewId() { return NewUuid(random_); }
  std::string Now() const { return FormatRfc3339(clock_.Now(), 3); }

 private:
  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
};

// The FTS5 query for free text: each word quoted, the last one a prefix. Empty when
// the text has no words.
std::string FtsQuery(std::string_view text);

}  // namespace atrium::core::chat
