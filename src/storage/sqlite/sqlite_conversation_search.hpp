#pragma once
// Conversation full-text search on SQLite FTS5: conversations_fts (titles) and
// messages_fts (contents), kept in step by the triggers of migration 8 and keyed by
// conversations.rid / messages.seq. The unicode61 tokenizer with remove_diacritics
// gives the case- and accent-insensitive word matching conversation_text_search.hpp
// asks for.

#include <string>
#include <string_view>

#include "storage/sql/conversation_text_search.hpp"

namespace atrium::storage::sqlite {

class SqliteConversationSearch final : public sql::ConversationTextSearch {
 public:
  std::optional<std::string> TitleCondition(const std::string& query, Params& params) const override;
  core::Result<std::vector<core::chat::SearchHit>> Search(Database& db, const std::string& user_id,
                                                          const std::string& query, std::int64_t limit) override;
  core::Result<core::chat::Page<core::chat::MessageHit>> SearchMessages(Database& db, const std::string& user_id,
                                                                        const std::string& query,
                                                                        std::int64_t limit) override;
};

// The FTS5 query for free text: each word quoted, the last one a prefix. Empty when
// the text has no words.
std::string FtsQuery(std::string_view text);

}  // namespace atrium::storage::sqlite
