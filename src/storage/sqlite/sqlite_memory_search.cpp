#include "storage/sqlite/sqlite_memory_search.hpp"

#include <string>
#include <unordered_map>
#include <vector>

#include "storage/sql/memory_rows.hpp"
#include "storage/sql/sql_values.hpp"
#include "storage/sqlite/fts5_query.hpp"

namespace atrium::storage::sqlite {

core::Result<core::memory::MatchPage> SqliteMemorySearch::Match(Database& db, const std::string& user_id,
                                                                const std::string& query, core::memory::MatchMode mode,
                                                                const std::string& condition, const Params& params,
                                                                std::int64_t limit, std::int64_t offset,
                                                                core::memory::MatchTotal total) {
  core::memory::MatchPage page;
  const std::string match = Fts5MatchExpression(
      query, mode == core::memory::MatchMode::kAnyWord ? Fts5Words::kAny : Fts5Words::kAllLastPrefix);
  if (match.empty()) return page;
  // CROSS JOIN keeps the FTS index the outer loop: SQLite would otherwise walk the
  // user's memories and run the MATCH once per row (2.6 s at 100,000 memories against
  // 23 ms this way; bench/README.md).
  const std::string from =
      " FROM memories_fts CROSS JOIN memories m ON m.seq = memories_fts.rowid"
      " WHERE memories_fts MATCH ? AND m.user_id = ?" +
      condition;
  Params head{match, user_id};
  head.insert(head.end(), params.begin(), params.end());
  if (total == core::memory::MatchTotal::kCount) {
    auto counted = db.Query("SELECT COUNT(*)" + from, head);
    if (!counted) return counted.error();
    page.total = sql::Int(counted->rows[0][0]);
    if (page.total == 0) return page;
  }
  Params all = head;
  all.emplace_back(limit);
  all.emplace_back(offset);
  auto rows = db.Query(std::string("SELECT ") + sql::kMemoryColumns + ", bm25(memories_fts, 1.0, 0.5), m.seq" + from +
                           " ORDER BY 13, m.seq DESC LIMIT ? OFFSET ?",
                       all);
  if (!rows) return rows.error();
  if (rows->rows.empty()) return page;
  // Highlights for the kept rows only: in the ranked query SQLite would compute one for
  // every match before sorting. The keys go as one JSON array, so the statement is
  // prepared once whatever their number.
  std::string keys = "[";
  for (std::size_t i = 0; i < rows->rows.size(); ++i) {
    if (i > 0) keys += ',';
    keys += std::to_string(sql::Int(rows->rows[i].back()));
  }
  keys += ']';
  auto highlights = db.Query(
      "SELECT rowid, highlight(memories_fts, 0, char(1), char(2)) FROM memories_fts"
      " WHERE memories_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
      {match, keys});
  if (!highlights) return highlights.error();
  std::unordered_map<std::int64_t, std::string> by_seq;
  for (const auto& h : highlights->rows) by_seq.emplace(sql::Int(h[0]), sql::Text(h[1]));
  for (const auto& r : rows->rows) {
    const double score = -AsDouble(r[r.size() - 2]).value_or(0);
    const double rank = score > 0 ? score / (1 + score) : 1e-6;
    auto memory = sql::MemoryFrom(r);
    const auto found = by_seq.find(sql::Int(r.back()));
    std::string highlighted = found != by_seq.end() ? found->second : memory.content;
    page.items.push_back({std::move(memory), rank, std::move(highlighted)});
  }
  return page;
}

}  // namespace atrium::storage::sqlite
