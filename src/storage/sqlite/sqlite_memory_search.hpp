#pragma once
// Memory full-text matching on SQLite FTS5: memories_fts (content, tags), kept in step
// by the triggers of migration 13 and keyed by memories.seq, tokenized by porter over
// unicode61 with remove_diacritics. Rank: bm25 with content weighing twice the tags,
// as r / (1 + r) for r = -bm25.

#include "storage/sql/memory_text_search.hpp"

namespace atrium::storage::sqlite {

class SqliteMemorySearch final : public sql::MemoryTextSearch {
 public:
  core::Result<core::memory::MatchPage> Match(Database& db, const std::string& user_id, const std::string& query,
                                              core::memory::MatchMode mode, const std::string& condition,
                                              const Params& params, std::int64_t limit, std::int64_t offset,
                                              core::memory::MatchTotal total) override;
};

}  // namespace atrium::storage::sqlite
