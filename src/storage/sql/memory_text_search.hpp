#pragma once
// The part of the memory repository that SQL cannot share: full-text matching. SQLite
// uses the memories_fts FTS5 table (porter stemmer), PostgreSQL the search_tsv column
// (English stemmer); both fold case and accents.
//
// What every implementation must do, so the contract suite passes on each:
// - Words of the query: runs of letters, digits, '_' and non-ASCII characters; engine
//   syntax is text. kAllWords: every word, the last as a prefix; kAnyWord: any word.
// - Rank in (0, 1), higher better; ties newest first (by seq).
// - highlighted: the whole content with each matched term between kMarkStart/kMarkEnd.
// - Scope: the user's memories passing `condition` (on alias `m`, with `params`).

#include <cstdint>
#include <string>

#include "core/memory/memory_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class MemoryTextSearch {
 public:
  virtual ~MemoryTextSearch() = default;
  // `condition` is "" or " AND ..." over alias m; its parameters follow the user id.
  virtual core::Result<core::memory::MatchPage> Match(Database& db, const std::string& user_id,
                                                      const std::string& query, core::memory::MatchMode mode,
                                                      const std::string& condition, const Params& params,
                                                      std::int64_t limit, std::int64_t offset,
                                                      core::memory::MatchTotal total) = 0;
};

}  // namespace atrium::storage::sql
