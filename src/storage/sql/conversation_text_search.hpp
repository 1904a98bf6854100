#pragma once
// The part of the conversation store that SQL cannot share: full-text search. Each
// driver implements it with its own index (SQLite: FTS5 tables kept by triggers,
// storage/sqlite/sqlite_conversation_search.hpp; PostgreSQL: tsvector columns with
// websearch_to_tsquery or plainto_tsquery).
//
// What every implementation must do, so the contract suite passes on each:
// - Matching: the query is free text. Its words (runs of letters, digits, '_' and
//   any non-ASCII character) must all occur, as whole words, except the last, which
//   matches as a prefix ("al den" finds "al dente"). Case- and diacritic-insensitive
//   ("Cafe" finds "café"). Query syntax of the engine (quotes, OR, NEAR, '-', '*') is
//   taken as text, never as operators. A query without words matches nothing.
// - Scope: only the given user's conversations and messages.
// - Snippets: the matched field's text around the match, at most about a dozen words,
//   each matched term wrapped in <mark></mark>, cut ends marked with "...".
// - Order (no relevance ranking; clients expect recency): Search lists title hits and
//   message hits together, newest first by the conversation's updated_at (title hits)
//   or the message's created_at (message hits); SearchMessages lists messages newest
//   first, in insertion order reversed.
//
// Thread-safety: every method may be called from any thread; all block.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/chat/conversation.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class ConversationTextSearch {
 public:
  virtual ~ConversationTextSearch() = default;

  // A condition on an unaliased `conversations` row, true when its title matches
  // `query`; its parameters are appended to `params`, in order. nullopt when `query`
  // has no words (nothing matches).
  virtual std::optional<std::string> TitleCondition(const std::string& query, Params& params) const = 0;

  // Title and message hits of the user, at most `limit` (1-200) of them.
  virtual core::Result<std::vector<core::chat::SearchHit>> Search(Database& db, const std::string& user_id,
                                                                  const std::string& query, std::int64_t limit) = 0;

  // Message hits of the user, at most `limit` (1-200); total counts every match.
  virtual core::Result<core::chat::Page<core::chat::MessageHit>> SearchMessages(Database& db,
                                                                                const std::string& user_id,
                                                                                const std::string& query,
                                                                                std::int64_t limit) = 0;
};

}  // namespace atrium::storage::sql
