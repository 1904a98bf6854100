#pragma once
// Chunk full-text matching on SQLite FTS5: document_chunks_fts (content, section), kept
// in step by the triggers of migration 14 and keyed by document_chunks.seq, tokenized
// by porter over unicode61 with remove_diacritics. Rank: bm25 with the content weighing
// twice the section heading, as r / (1 + r) for r = -bm25.

#include "storage/sql/chunk_text_search.hpp"

namespace atrium::storage::sqlite {

class SqliteChunkSearch final : public sql::ChunkTextSearch {
 public:
  core::Result<std::vector<core::documents::ChunkMatch>> Match(Database& db, const std::string& user_id,
                                                               const std::string& query, std::int64_t limit) override;
};

}  // namespace atrium::storage::sqlite
