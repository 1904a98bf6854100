#include "storage/sqlite/sqlite_conversation_search.hpp"

#include "storage/sql/conversation_rows.hpp"
#include "storage/sql/sql_values.hpp"
#include "storage/sqlite/fts5_query.hpp"

namespace atrium::storage::sqlite {

using sql::Int;
using sql::Text;

std::string FtsQuery(std::string_view text) { return Fts5MatchExpression(text, Fts5Words::kAllLastPrefix); }

std::optional<std::string> SqliteConversationSearch::TitleCondition(const std::string& query, Params& params) const {
  const std::string match = FtsQuery(query);
  if (match.empty()) return std::nullopt;
  params.emplace_back(match);
  return std::string("rid IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ?)");
}

core::Result<std::vector<core::chat::SearchHit>> SqliteConversationSearch::Search(Database& db,
                                                                                  const std::string& user_id,
                                                                                  const std::string& query,
                                                                                  std::int64_t limit) {
  const std::string match = FtsQuery(query);
  if (match.empty()) return std::vector<core::chat::SearchHit>{};
  auto rows = db.Query(
      "SELECT * FROM ("
      " SELECT c.id, c.title, NULL, '', snippet(conversations_fts, 0, '<mark>', '</mark>', '...', 12), c.updated_at"
      " FROM conversations_fts JOIN conversations c ON c.rid = conversations_fts.rowid"
      " WHERE conversations_fts MATCH ? AND c.user_id = ?"
      " UNION ALL"
      " SELECT c.id, c.title, m.id, m.role, snippet(messages_fts, 0, '<mark>', '</mark>', '...', 12), m.created_at"
      " FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid"
      " JOIN conversations c ON c.id = m.conversation_id"
      " WHERE messages_fts MATCH ? AND m.user_id = ?"
      ") ORDER BY 6 DESC LIMIT ?",
      Params{match, user_id, match, user_id, limit});
  if (!rows) return rows.error();
  std::vector<core::chat::SearchHit> out;
  for (const auto& r : rows->rows) {
    out.push_back({Text(r[0]), Text(r[1]), AsText(r[2]), Text(r[3]), Text(r[4]), Text(r[5])});
  }
  return out;
}

core::Result<core::chat::Page<core::chat::MessageHit>> SqliteConversationSearch::SearchMessages(
    Database& db, const std::string& user_id, const std::string& query, std::int64_t limit) {
  const std::string match = FtsQuery(query);
  if (match.empty()) return core::chat::Page<core::chat::MessageHit>{};
  constexpr const char* kFrom =
      " FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid JOIN conversations c ON c.id = "
      "m.conversation_id"
      " WHERE messages_fts MATCH ? AND m.user_id = ?";
  auto counted = db.Query(std::string("SELECT COUNT(*)") + kFrom, Params{match, user_id});
  if (!counted) return counted.error();
  auto rows = db.Query("SELECT " + sql::QualifiedMessageColumns("m") +
                           ", c.title, snippet(messages_fts, 0, '<mark>', '</mark>', '...', 12)" + kFrom +
                           " ORDER BY m.seq DESC LIMIT ?",
                       Params{match, user_id, limit});
  if (!rows) return rows.error();
  core::chat::Page<core::chat::MessageHit> out;
  out.total = Int(counted->rows[0][0]);
  for (const auto& r : rows->rows) {
    const std::size_t n = r.size();
    out.items.push_back({sql::MessageFrom(r), Text(r[n - 2]), Text(r[n - 1])});
  }
  return out;
}

}  // namespace atrium::storage::sqlite
