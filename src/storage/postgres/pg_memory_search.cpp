#include "storage/postgres/pg_memory_search.hpp"

#include "storage/postgres/pg_tsquery.hpp"
#include "storage/sql/memory_rows.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::postgres {

core::Result<core::memory::MatchPage> PgMemorySearch::Match(Database& db, const std::string& user_id,
                                                            const std::string& query, core::memory::MatchMode mode,
                                                            const std::string& condition, const Params& params,
                                                            std::int64_t limit, std::int64_t offset,
                                                            core::memory::MatchTotal total) {
  core::memory::MatchPage page;
  const std::string tsquery =
      PgTsQuery(query, mode == core::memory::MatchMode::kAnyWord ? PgWords::kAny : PgWords::kAllLastPrefix);
  if (tsquery.empty()) return page;
  Params head{tsquery, user_id};
  head.insert(head.end(), params.begin(), params.end());
  if (total == core::memory::MatchTotal::kCount) {
    auto counted = db.Query(
        "SELECT COUNT(*) FROM memories m WHERE m.search_tsv @@ to_tsquery('atrium_memory', ?) AND m.user_id = ?" +
            condition,
        head);
    if (!counted) return counted.error();
    page.total = sql::Int(counted->rows[0][0]);
    if (page.total == 0) return page;
  }
  Params all = head;
  all.emplace_back(limit);
  all.emplace_back(offset);
  // The headline is computed for the rows kept only (after the LIMIT).
  auto rows = db.Query(
      "WITH q AS (SELECT to_tsquery('atrium_memory', ?) AS query),"
      " hits AS (SELECT m.seq AS hit_seq, ts_rank_cd(m.search_tsv, q.query, 32) AS rank FROM memories m, q"
      "  WHERE m.search_tsv @@ q.query AND m.user_id = ?" +
          condition +
          "  ORDER BY rank DESC, m.seq DESC LIMIT ? OFFSET ?)"
          " SELECT " +
          sql::kMemoryColumns +
          ", hits.rank, ts_headline('atrium_memory', m.content, q.query,"
          " 'HighlightAll=true, StartSel=' || chr(1) || ', StopSel=' || chr(2))"
          " FROM hits JOIN memories m ON m.seq = hits.hit_seq, q ORDER BY hits.rank DESC, m.seq DESC",
      all);
  if (!rows) return rows.error();
  for (const auto& r : rows->rows) {
    const std::size_t n = r.size();
    const double rank = AsDouble(r[n - 2]).value_or(0);
    page.items.push_back({sql::MemoryFrom(r), rank > 0 ? rank : 1e-6, sql::Text(r[n - 1])});
  }
  return page;
}

}  // namespace atrium::storage::postgres
