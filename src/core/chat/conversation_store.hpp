#pragma once
// The conversations aggregate: conversations and their messages, owner-scoped: every
// call names the user, and another user's conversation or message is "not found",
// never "forbidden". Full-text search over titles and message content. A storage
// driver implements it (storage/sql/sql_conversation_store.hpp).
//
// Thread-safety: every method may be called from any thread; all of them block, so
// call them from worker threads.
//
// Isolation: kReadCommitted suffices. Each write is one unit; counters change by
// relative updates or are recomputed from the messages inside the unit, and
// SetTitleIf is a conditional update. Under concurrent turns on one conversation the
// message_count recomputation sees committed rows only, so the last unit to commit
// fixes it.

#include <string>
#include <vector>

#include "core/chat/conversation.hpp"
#include "core/clock.hpp"
#include "core/identity/user.hpp"
#include "core/random.hpp"
#include "core/result.hpp"

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
  virtual ~ConversationStore() = default;

  virtual Result<Conversation> Create(const std::string& user_id, const NewConversation& fields) = 0;
  virtual Result<Conversation> Get(const std::string& user_id, const std::string& conversation_id) = 0;
  virtual Result<std::vector<Conversation>> List(const std::string& user_id, const ListOptions& options) = 0;
  // List's page and the number of conversations matching the same filters.
  virtual Result<Page<Conversation>> ListPage(const std::string& user_id, const ListOptions& options) = 0;
  // Every conversation of the user, archived ones included.
  virtual Result<std::int64_t> Count(const std::string& user_id) = 0;
  virtual Result<Conversation> Update(const std::string& user_id, const std::string& conversation_id,
                              const ConversationPatch& patch) = 0;
  virtual Result<void> Delete(const std::string& user_id, const std::string& conversation_id) = 0;

  // Oldest first.
  virtual Result<std::vector<Message>> Messages(const std::string& user_id, const std::string& conversation_id) = 0;
  // Oldest first, `limit` (1-1000) from `offset`; total is the conversation's message count.
  virtual Result<Page<Message>> MessagesPage(const std::string& user_id, const std::string& conversation_id, std::int64_t limit,
                                     std::int64_t offset) = 0;
  virtual Result<Message> GetMessage(const std::string& user_id, const std::string& message_id) = 0;

  // Replaces a message's content; the old content goes to its edit history. Nothing else
  // in the conversation changes (but its updated_at). Any role: callers that allow
  // only some check the role first.
  virtual Result<Message> EditMessage(const std::string& user_id, const std::string& message_id, const std::string& content) = 0;

  // Deletes one message; the conversation's message_count and last_message_at (the
  // newest remaining message's time, null when none is left) follow. Token counters
  // stay: what was spent stays spent.
  virtual Result<void> DeleteMessage(const std::string& user_id, const std::string& message_id) = 0;

  // Terms are matched as words (prefix match on the last one), all of them required;
  // FTS syntax in `query` is treated as text. Newest first.
  virtual Result<std::vector<SearchHit>> Search(const std::string& user_id, const std::string& query, std::int64_t limit) = 0;
  // Messages only, matched like Search, newest first; `limit` 1-200, total counts every
  // match.
  virtual Result<Page<MessageHit>> SearchMessages(const std::string& user_id, const std::string& query, std::int64_t limit) = 0;

  // kNotFound when the conversation (or a message named) is not the user's; a created
  // conversation is new by construction.
  virtual Result<void> CommitTurn(const TurnRecord& turn) = 0;

  // The user's token counters (for the limit check before a generation).
  virtual Result<identity::Usage> UsageOf(const std::string& user_id) = 0;

  // Adds tokens spent outside a conversation (embeddings) to the user's counter.
  virtual Result<void> AddUsage(const std::string& user_id, std::int64_t tokens) = 0;

  // Sets the title only while it is still `expected` (a title the user set meanwhile
  // wins). True when it was set.
  virtual Result<bool> SetTitleIf(const std::string& user_id, const std::string& conversation_id, const std::string& expected,
                          const std::string& title) = 0;

  // Ids and timestamps (RFC 3339 with milliseconds) as this store makes them, for
  // callers that build a TurnRecord.
  std::string NewId() { return NewUuid(random_); }
  std::string Now() const { return FormatRfc3339(clock_.Now(), 3); }

 protected:
  ConversationStore(const Clock& clock, Random& random) : clock_(clock), random_(random) {}

 private:
  const Clock& clock_;
  Random& random_;
};

}  // namespace atrium::core::chat
