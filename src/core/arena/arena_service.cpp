#include "core/arena/arena_service.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace atrium::core::arena {

namespace {

namespace json = boost::json;
using storage::Params;
using storage::Value;

constexpr const char* kSessionColumns = "id, user_id, config_ids, title, message_count, created_at, updated_at";
constexpr const char* kMessageColumns = "id, session_id, role, config_id, content, metadata, created_at";

Error NotFound() { return Error(ErrorCode::kNotFound, "Session not found").WithReason(Reason::kSessionNotFound); }

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
  return {storage::AsText(r[0]).value_or(""),
          storage::AsText(r[1]).value_or(""),
          ParseIds(storage::AsText(r[2]).value_or("[]")),
          storage::AsText(r[3]).value_or(""),
          storage::AsInt(r[4]).value_or(0),
          storage::AsText(r[5]).value_or(""),
          storage::AsText(r[6]).value_or("")};
}

ArenaMessage MessageFromRow(const std::vector<Value>& r) {
  return {storage::AsText(r[0]).value_or(""), storage::AsText(r[1]).value_or(""), storage::AsText(r[2]).value_or(""),
          storage::AsText(r[3]).value_or(""), storage::AsText(r[4]).value_or(""), storage::AsText(r[5]).value_or("{}"),
          storage::AsText(r[6]).value_or("")};
}

}  // namespace

ArenaService::ArenaService(storage::Database& db, assistants::AssistantConfigService& configs, const Clock& clock,
                           Random& random)
    : db_(db), configs_(configs), clock_(clock), random_(random) {}

Result<ArenaSession> ArenaService::Create(const std::string& user_id, const std::vector<std::string>& config_ids,
                                          const std::string& title) {
  std::vector<std::string> ids;
  for (const auto& id : config_ids) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  if (ids.size() < kMinConfigs || ids.size() > kMaxConfigs) {
    return Error(ErrorCode::kInvalidArgument, "An arena session needs 2 to 4 different configs")
        .WithReason(Reason::kArenaConfigCount);
  }
  if (assistants::CharCount(title) > kMaxTitleChars) {
    return Error(ErrorCode::kInvalidArgument, "title must be at most 200 characters");
  }
  std::string default_title = "Arena:";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto config = configs_.Get(user_id, ids[i]);
    if (!config) return config.error();
    default_title += (i == 0 ? " " : " vs ") + config->name;
  }
  ArenaSession s;
  s.id = NewUuid(random_);
  s.user_id = user_id;
  s.config_ids = std::move(ids);
  s.title = title.find_first_not_of(" \t\r\n") == std::string::npos ? default_title : title;
  s.title = assistants::CutChars(s.title, kMaxTitleChars);
  s.created_at = s.updated_at = FormatRfc3339(clock_.Now());
  auto stored = db_.Execute(std::string("INSERT INTO arena_sessions(") + kSessionColumns + ") VALUES (?,?,?,?,0,?,?)",
                            Params{s.id, s.user_id, IdsJson(s.config_ids), s.title, s.created_at, s.updated_at});
  if (!stored) return stored.error();
  return s;
}

Result<SessionPage> ArenaService::List(const std::string& user_id, std::int64_t limit, std::int64_t offset) {
  auto count = db_.Query("SELECT COUNT(*) FROM arena_sessions WHERE user_id = ?", {user_id});
  if (!count) return count.error();
  auto rows =
      db_.Query(std::string("SELECT ") + kSessionColumns +
                    " FROM arena_sessions WHERE user_id = ? ORDER BY updated_at DESC, rowid DESC LIMIT ? OFFSET ?",
                {user_id, limit, offset});
  if (!rows) return rows.error();
  SessionPage page;
  page.total = storage::AsInt(count->rows[0][0]).value_or(0);
  for (const auto& r : rows->rows) page.sessions.push_back(SessionFromRow(r));
  return page;
}

Result<ArenaSession> ArenaService::Get(const std::string& user_id, const std::string& id) {
  auto rows = db_.Query(std::string("SELECT ") + kSessionColumns + " FROM arena_sessions WHERE id = ? AND user_id = ?",
                        {id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return NotFound();
  return SessionFromRow(rows->rows[0]);
}

Result<SessionDetail> ArenaService::Detail(const std::string& user_id, const std::string& id) {
  auto session = Get(user_id, id);
  if (!session) return session.error();
  auto rows = db_.Query(
      std::string("SELECT ") + kMessageColumns + " FROM arena_messages WHERE session_id = ? ORDER BY seq", {id});
  if (!rows) return rows.error();
  SessionDetail detail{std::move(*session), {}, {}};
  for (const auto& r : rows->rows) detail.messages.push_back(MessageFromRow(r));
  for (const auto& config_id : detail.session.config_ids) {
    // A config deleted (or made private by its owner) since stays in the session's list
    // and its messages, but is no longer shown.
    if (auto config = configs_.Get(user_id, config_id)) detail.configs.push_back(std::move(*config));
  }
  return detail;
}

Result<void> ArenaService::Delete(const std::string& user_id, const std::string& id) {
  auto removed = db_.Execute("DELETE FROM arena_sessions WHERE id = ? AND user_id = ?", {id, user_id});
  if (!removed) return removed.error();
  if (*removed == 0) return NotFound();
  return Ok{};
}

Result<ArenaMessage> ArenaService::Append(const std::string& user_id, ArenaMessage message) {
  if (message.id.empty()) message.id = NewUuid(random_);
  message.created_at = FormatRfc3339(clock_.Now());
  if (message.metadata_json.empty()) message.metadata_json = "{}";
  auto done = db_.Transact([&](storage::Executor& tx) -> Result<void> {
    auto counted = tx.Execute(
        "UPDATE arena_sessions SET message_count = message_count + 1, updated_at = ? WHERE id = ? AND user_id = ?",
        {message.created_at, message.session_id, user_id});
    if (!counted) return counted.error();
    if (*counted == 0) return NotFound();
    auto stored = tx.Execute(std::string("INSERT INTO arena_messages(") + kMessageColumns + ") VALUES (?,?,?,?,?,?,?)",
                             Params{message.id, message.session_id, message.role, message.config_id, message.content,
                                    message.metadata_json, message.created_at});
    if (!stored) return stored.error();
    return Ok{};
  });
  if (!done) return done.error();
  return message;
}

}  // namespace atrium::core::arena
