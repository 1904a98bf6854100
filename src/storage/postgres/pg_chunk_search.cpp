#include "storage/postgres/pg_chunk_search.hpp"

#include "storage/postgres/pg_tsquery.hpp"
#include "storage/sql/document_rows.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::postgres {

core::Result<std::vector<core::documents::ChunkMatch>> PgChunkSearch::Match(Database& db, const std::string& user_id,
                                                                            const std::string& query,
                                                                            std::int64_t limit) {
  std::vector<core::documents::ChunkMatch> out;
  const std::string tsquery = PgTsQuery(query, PgWords::kAny);
  if (tsquery.empty()) return out;
  auto rows =
      db.Query(std::string("WITH q AS (SELECT to_tsquery('atrium_memory', ?) AS query) SELECT ") + sql::kChunkColumns +
                   ", d.original_name, ts_rank_cd(c.search_tsv, q.query, 32) AS rank"
                   " FROM document_chunks c JOIN documents d ON d.id = c.document_id, q"
                   " WHERE c.search_tsv @@ q.query AND c.user_id = ? AND d.status = 'ready'"
                   " ORDER BY rank DESC, d.seq DESC, c.chunk_index LIMIT ?",
               {tsquery, user_id, limit});
  if (!rows) return rows.error();
  for (const auto& r : rows->rows) {
    const double rank = AsDouble(r[8]).value_or(0);
    out.push_back({sql::ChunkFrom(r), sql::Text(r[7]), rank > 0 ? rank : 1e-6});
  }
  return out;
}

}  // namespace atrium::storage::postgres
