#include "storage/postgres/pg_repositories.hpp"

#include "storage/postgres/pg_chunk_search.hpp"
#include "storage/postgres/pg_conversation_search.hpp"
#include "storage/postgres/pg_memory_search.hpp"

namespace atrium::storage::postgres {

std::unique_ptr<sql::SqlRepositories> OpenRepositories(PgDatabase& db, const core::Clock& clock, core::Random& random) {
  // Write units run concurrently on pooled connections: a read-modify-write locks the
  // rows it read until its unit commits.
  return std::make_unique<sql::SqlRepositories>(
      db, sql::SqlFlavor{.lock_rows = " FOR UPDATE", .skip_locked = " FOR UPDATE SKIP LOCKED"},
      sql::TextSearches{std::make_unique<PgConversationSearch>(), std::make_unique<PgMemorySearch>(),
                        std::make_unique<PgChunkSearch>()},
      clock, random);
}

}  // namespace atrium::storage::postgres
