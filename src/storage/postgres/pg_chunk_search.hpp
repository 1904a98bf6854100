#pragma once
// Chunk full-text matching on PostgreSQL: document_chunks.search_tsv (migration 14, the
// atrium_memory configuration) with its GIN index. Rank: ts_rank_cd normalised to
// (0, 1) (flag 32: rank / (rank + 1)).

#include "storage/sql/chunk_text_search.hpp"

namespace atrium::storage::postgres {

class PgChunkSearch final : public sql::ChunkTextSearch {
 public:
  core::Result<std::vector<core::documents::ChunkMatch>> Match(Database& db, const std::string& user_id,
                                                               const std::string& query, std::int64_t limit) override;
};

}  // namespace atrium::storage::postgres
