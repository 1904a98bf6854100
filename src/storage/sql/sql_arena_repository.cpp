#include "storage/sql/sql_arena_repository.hpp"

#include <boost/json.hpp>

#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

namespace json = boost::json;
using core::arena::ArenaMessage;
using core::arena::ArenaSession;

constexpr const char* kSessionColumns = "id, user_id, config_ids, title, message_count, created_at, updated_at";
constexpr const char* kMessageColumns = "id, session_id, role, config_id, content, metadata, created_at";

std::string IdsJson(const std::vector<std::string>& ids) {
  json::array a;
  for (const auto& id : ids) a.emplace_back(id);
  return json::serialize(a);
}

std::vector<std::string> ParseIds(const std::string& text) {
  std::vector<std::string> ids;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return ids;
  for (const auto& id : v.as_array()) {
    if (id.is_string()) ids.emplace_back(id.as_string());
  }
  return ids;
}

ArenaSession SessionFromRow(const std::vector<Value>& r) {
  return {AsText(r[0]).value_or(""), AsText(r[1]).value_or(""), ParseIds(AsText(r[2]).value_or("[]")),
          AsText(r[3]).value_or(""), AsInt(r[4]).value_or(0),   AsText(r[5]).value_or(""),
          AsText(r[6]).value_or("")};
}

ArenaMessage MessageFromRow(const std::vector<Value>& r) {
  return {AsText(r[0]).value_or(""), AsText(r[1]).value_or(""),   AsText(r[2]).value_or(""), AsText(r[3]).value_or(""),
          AsText(r[4]).value_or(""), AsText(r[5]).value_or("{}"), AsText(r[6]).value_or("")};
}

}  // namespace

core::Result<void> SqlArenaRepository::InsertSession(const ArenaSession& s) {
  // seq is assigned by the database (migration 11 for SQLite).
  auto stored = db_.Execute(std::string("INSERT INTO arena_sessions(") + kSessionColumns + ") VALUES (?,?,?,?,0,?,?)",
                            Params{s.id, s.user_id, IdsJson(s.config_ids), s.title, s.created_at, s.updated_at});
  if (!stored) return stored.error();
  return core::Ok{};
}

core::Result<core::arena::SessionPage> SqlArenaRepository::ListSessions(const std::string& user_id, std::int64_t limit,
                                                                        std::int64_t offset) {
  auto count = db_.Query("SELECT COUNT(*) FROM arena_sessions WHERE user_id = ?", {user_id});
  if (!count) return count.error();
  auto rows =
      db_.Query(std::string("SELECT ") + kSessionColumns +
                    " FROM arena_sessions WHERE user_id = ? ORDER BY updated_at DESC, seq DESC LIMIT ? OFFSET ?",
                {user_id, limit, offset});
  if (!rows) return rows.error();
  core::arena::SessionPage page;
  page.total = Int(count->rows[0][0]);
  for (const auto& r : rows->rows) page.sessions.push_back(SessionFromRow(r));
  return page;
}

core::Result<std::optional<ArenaSession>> SqlArenaRepository::FindSession(const std::string& user_id,
                                                                          const std::string& id) {
  auto rows = db_.Query(std::string("SELECT ") + kSessionColumns + " FROM arena_sessions WHERE id = ? AND user_id = ?",
                        {id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<ArenaSession>{};
  return std::optional<ArenaSession>{SessionFromRow(rows->rows[0])};
}

core::Result<std::vector<ArenaMessage>> SqlArenaRepository::Messages(const std::string& session_id) {
  auto rows =
      db_.Query(std::string("SELECT ") + kMessageColumns + " FROM arena_messages WHERE session_id = ? ORDER BY seq",
                {session_id});
  if (!rows) return rows.error();
  std::vector<ArenaMessage> out;
  for (const auto& r : rows->rows) out.push_back(MessageFromRow(r));
  return out;
}

core::Result<bool> SqlArenaRepository::DeleteSession(const std::string& user_id, const std::string& id) {
  auto removed = db_.Execute("DELETE FROM arena_sessions WHERE id = ? AND user_id = ?", {id, user_id});
  if (!removed) return removed.error();
  return *removed > 0;
}

core::Result<bool> SqlArenaRepository::AppendMessage(core::persistence::UnitOfWork& uow, const std::string& user_id,
                                                     const ArenaMessage& message) {
  auto counted = Tx(uow).Execute(
      "UPDATE arena_sessions SET message_count = message_count + 1, updated_at = ? WHERE id = ? AND user_id = ?",
      {message.created_at, message.session_id, user_id});
  if (!counted) return counted.error();
  if (*counted == 0) return false;
  auto stored =
      Tx(uow).Execute(std::string("INSERT INTO arena_messages(") + kMessageColumns + ") VALUES (?,?,?,?,?,?,?)",
                      Params{message.id, message.session_id, message.role, message.config_id, message.content,
                             message.metadata_json, message.created_at});
  if (!stored) return stored.error();
  return true;
}

}  // namespace atrium::storage::sql
