#pragma once
// Memory full-text matching on PostgreSQL: the generated, GIN-indexed tsvector column
// memories.search_tsv (migration 13: content weighted A, tags B) in the configuration
// `atrium_memory` (English stop words and stemmer, accents removed), queried with
// to_tsquery built from the query's words (engine syntax stays text). Rank:
// ts_rank_cd normalised to rank / (rank + 1). The whole content is highlighted with
// ts_headline (HighlightAll).

#include "storage/sql/memory_text_search.hpp"

namespace atrium::storage::postgres {

class PgMemorySearch final : public sql::MemoryTextSearch {
 public:
  core::Result<core::memory::MatchPage> Match(Database& db, const std::string& user_id, const std::string& query,
                                              core::memory::MatchMode mode, const std::string& condition,
                                              const Params& params, std::int64_t limit, std::int64_t offset,
                                              core::memory::MatchTotal total) override;
};

}  // namespace atrium::storage::postgres
