#pragma once
// Conversation full-text search on PostgreSQL: the generated tsvector columns
// conversations.title_tsv and messages.content_tsv (migration 8, GIN-indexed), in the
// text search configuration `atrium_search` ('simple' with unaccent: lower-case, no
// stemming, no stop words, accents removed), queried with to_tsquery built from the
// query's words, so engine syntax in the query stays text. Snippets come from
// ts_headline, with "..." added where it cut the text, as SQLite's snippet() does.

#include <string>
#include <string_view>

#include "storage/sql/conversation_text_search.hpp"

namespace atrium::storage::postgres {

class PgConversationSearch final : public sql::ConversationTextSearch {
 public:
  std::optional<std::string> TitleCondition(const std::string& query, Params& params) const override;
  core::Result<std::vector<core::chat::SearchHit>> Search(Database& db, const std::string& user_id,
                                                          const std::string& query, std::int64_t limit) override;
  core::Result<core::chat::Page<core::chat::MessageHit>> SearchMessages(Database& db, const std::string& user_id,
                                                                        const std::string& query,
                                                                        std::int64_t limit) override;
};

// The to_tsquery text for free text: its words joined by '&', the last one a prefix
// (":*"). Words hold only letters, digits, '_' and non-ASCII bytes, never tsquery
// syntax. Empty when the text has no words.
std::string TsQuery(std::string_view text);

// `headline` (ts_headline's excerpt of `text`, terms in <mark></mark>) with "..." where
// the excerpt leaves out words before or after it.
std::string MarkCutEnds(std::string_view text, std::string headline);

}  // namespace atrium::storage::postgres
