#pragma once
// The part of the document repository that SQL cannot share: full-text matching of
// chunks. SQLite uses the document_chunks_fts FTS5 table (porter stemmer), PostgreSQL
// the search_tsv column (the atrium_memory configuration: English stemmer, accents
// folded).
//
// What every implementation must do, so the contract suite passes on each:
// - Words of the query as MemoryTextSearch splits them; any word matches.
// - Only chunks of the user's documents whose status is 'ready'.
// - Rank in (0, 1), higher better; ties: the newer document first, then chunk order.

#include <cstdint>
#include <string>
#include <vector>

#include "core/documents/document_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class ChunkTextSearch {
 public:
  virtual ~ChunkTextSearch() = default;
  virtual core::Result<std::vector<core::documents::ChunkMatch>> Match(Database& db, const std::string& user_id,
                                                                       const std::string& query,
                                                                       std::int64_t limit) = 0;
};

}  // namespace atrium::storage::sql
