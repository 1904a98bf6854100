#include "storage/sqlite/sqlite_chunk_search.hpp"

#include "storage/sql/document_rows.hpp"
#include "storage/sql/sql_values.hpp"
#include "storage/sqlite/fts5_query.hpp"

namespace atrium::storage::sqlite {

core::Result<std::vector<core::documents::ChunkMatch>> SqliteChunkSearch::Match(Database& db,
                                                                                const std::string& user_id,
                                                                                const std::string& query,
                                                                                std::int64_t limit) {
  std::vector<core::documents::ChunkMatch> out;
  const std::string match = Fts5MatchExpression(query, Fts5Words::kAny);
  if (match.empty()) return out;
  // The FTS index is the outer loop (CROSS JOIN), as in SqliteMemorySearch.
  auto rows = db.Query(std::string("SELECT ") + sql::kChunkColumns +
                           ", d.original_name, bm25(document_chunks_fts, 1.0, 0.5)"
                           " FROM document_chunks_fts CROSS JOIN document_chunks c ON c.seq = document_chunks_fts.rowid"
                           " JOIN documents d ON d.id = c.document_id"
                           " WHERE document_chunks_fts MATCH ? AND c.user_id = ? AND d.status = 'ready'"
                           " ORDER BY 9, d.seq DESC, c.chunk_index LIMIT ?",
                       {match, user_id, limit});
  if (!rows) return rows.error();
  for (const auto& r : rows->rows) {
    const double score = -AsDouble(r[8]).value_or(0);
    out.push_back({sql::ChunkFrom(r), sql::Text(r[7]), score > 0 ? score / (1 + score) : 1e-6});
  }
  return out;
}

}  // namespace atrium::storage::sqlite
