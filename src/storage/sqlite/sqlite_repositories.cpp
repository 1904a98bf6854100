#include "storage/sqlite/sqlite_repositories.hpp"

#include "storage/sqlite/sqlite_chunk_search.hpp"
#include "storage/sqlite/sqlite_conversation_search.hpp"
#include "storage/sqlite/sqlite_memory_search.hpp"

namespace atrium::storage::sqlite {

std::unique_ptr<sql::SqlRepositories> OpenRepositories(SqliteDatabase& db, const core::Clock& clock,
                                                       core::Random& random) {
  // Every SQLite write unit runs alone on the one writer connection: no row locks.
  return std::make_unique<sql::SqlRepositories>(
      db, sql::SqlFlavor{.lock_rows = "", .skip_locked = ""},
      sql::TextSearches{std::make_unique<SqliteConversationSearch>(), std::make_unique<SqliteMemorySearch>(),
                        std::make_unique<SqliteChunkSearch>()},
      clock, random);
}

}  // namespace atrium::storage::sqlite
