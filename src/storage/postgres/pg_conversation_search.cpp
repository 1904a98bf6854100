#include "storage/postgres/pg_conversation_search.hpp"

#include <cctype>

#include "storage/postgres/pg_tsquery.hpp"
#include "storage/sql/conversation_rows.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::postgres {

using sql::Int;
using sql::Text;

namespace {

// One fragment of about a dozen words around the best match, like SQLite's
// snippet(..., 12).
constexpr const char* kHeadlineOptions =
    "'StartSel=<mark>, StopSel=</mark>, MaxWords=12, MinWords=6, ShortWord=0, MaxFragments=1'";

std::string Headline(std::string_view column) {
  return std::string("ts_headline('atrium_search', ") + std::string(column) + ", q.query, " + kHeadlineOptions + ")";
}

void EraseAll(std::string& s, std::string_view what) {
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at)) s.erase(at, what.size());
}

// True when `s` holds a word character (a cut there hides words, not just punctuation).
bool HasWord(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) return true;
  }
  return false;
}

}  // namespace

std::string TsQuery(std::string_view text) { return PgTsQuery(text, PgWords::kAllLastPrefix); }

std::string MarkCutEnds(std::string_view text, std::string headline) {
  std::string plain = headline;
  EraseAll(plain, "<mark>");
  EraseAll(plain, "</mark>");
  const auto at = text.find(plain);
  if (plain.empty() || at == std::string_view::npos) return headline;
  if (HasWord(text.substr(0, at))) headline.insert(0, "...");
  if (HasWord(text.substr(at + plain.size()))) headline += "...";
  return headline;
}

std::optional<std::string> PgConversationSearch::TitleCondition(const std::string& query, Params& params) const {
  std::string tsquery = TsQuery(query);
  if (tsquery.empty()) return std::nullopt;
  params.emplace_back(std::move(tsquery));
  return std::string("title_tsv @@ to_tsquery('atrium_search', ?)");
}

core::Result<std::vector<core::chat::SearchHit>> PgConversationSearch::Search(Database& db, const std::string& user_id,
                                                                              const std::string& query,
                                                                              std::int64_t limit) {
  const std::string tsquery = TsQuery(query);
  if (tsquery.empty()) return std::vector<core::chat::SearchHit>{};
  // The headline is computed for the rows kept only (after the LIMIT): ts_headline
  // reparses the text.
  auto rows = db.Query(
      "WITH q AS (SELECT to_tsquery('atrium_search', ?) AS query),"
      " hits AS ("
      "  SELECT c.id, c.title, NULL::text AS message_id, '' AS role, c.title AS text, c.updated_at AS at"
      "  FROM conversations c, q WHERE c.title_tsv @@ q.query AND c.user_id = ?"
      "  UNION ALL"
      "  SELECT c.id, c.title, m.id, m.role, m.content, m.created_at"
      "  FROM messages m JOIN conversations c ON c.id = m.conversation_id, q"
      "  WHERE m.content_tsv @@ q.query AND m.user_id = ?"
      "  ORDER BY 6 DESC LIMIT ?)"
      " SELECT hits.id, hits.title, hits.message_id, hits.role, hits.text, " +
          Headline("hits.text") + ", hits.at FROM hits, q ORDER BY hits.at DESC",
      Params{tsquery, user_id, user_id, limit});
  if (!rows) return rows.error();
  std::vector<core::chat::SearchHit> out;
  for (const auto& r : rows->rows) {
    out.push_back({Text(r[0]), Text(r[1]), AsText(r[2]), Text(r[3]), MarkCutEnds(Text(r[4]), Text(r[5])), Text(r[6])});
  }
  return out;
}

core::Result<core::chat::Page<core::chat::MessageHit>> PgConversationSearch::SearchMessages(Database& db,
                                                                                            const std::string& user_id,
                                                                                            const std::string& query,
                                                                                            std::int64_t limit) {
  const std::string tsquery = TsQuery(query);
  if (tsquery.empty()) return core::chat::Page<core::chat::MessageHit>{};
  auto counted = db.Query(
      "SELECT COUNT(*) FROM messages m WHERE m.content_tsv @@ to_tsquery('atrium_search', ?) AND m.user_id = ?",
      Params{tsquery, user_id});
  if (!counted) return counted.error();
  auto rows = db.Query(
      "WITH q AS (SELECT to_tsquery('atrium_search', ?) AS query),"
      " hits AS (SELECT m.seq AS hit_seq FROM messages m, q"
      "  WHERE m.content_tsv @@ q.query AND m.user_id = ? ORDER BY m.seq DESC LIMIT ?)"
      " SELECT " +
          sql::QualifiedMessageColumns("m") + ", c.title, " + Headline("m.content") +
          " FROM hits JOIN messages m ON m.seq = hits.hit_seq JOIN conversations c ON c.id = m.conversation_id, q"
          " ORDER BY m.seq DESC",
      Params{tsquery, user_id, limit});
  if (!rows) return rows.error();
  core::chat::Page<core::chat::MessageHit> out;
  out.total = Int(counted->rows[0][0]);
  for (const auto& r : rows->rows) {
    const std::size_t n = r.size();
    core::chat::Message message = sql::MessageFrom(r);
    std::string snippet = MarkCutEnds(message.content, Text(r[n - 1]));
    out.items.push_back({std::move(message), Text(r[n - 2]), std::move(snippet)});
  }
  return out;
}

}  // namespace atrium::storage::postgres
