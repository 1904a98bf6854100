#include "core/logs/client_log_service.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace atrium::core::logs {

namespace {

using storage::Null;
using storage::Params;
using storage::Value;

Value Opt(const std::optional<std::string>& s) { return s ? Value{*s} : Value{Null{}}; }

std::optional<std::string> OptText(const Value& v) { return storage::AsText(v); }

}  // namespace

std::optional<std::string> NormalizeLevel(std::string_view level) {
  std::string up(level);
  std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
  if (up == "WARN") up = "WARNING";
  static constexpr std::array<std::string_view, 5> kLevels = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"};
  if (std::find(kLevels.begin(), kLevels.end(), up) == kLevels.end()) return std::nullopt;
  return up;
}

ClientLogService::ClientLogService(storage::Database& db, const Clock& clock, Random& random, std::int64_t max_entries,
                                   events::EventBus* events)
    : db_(db), clock_(clock), random_(random), max_entries_(max_entries), events_(events) {}

std::string ClientLogService::Topic() { return events::topics::Broadcast("client_logs"); }

Result<void> ClientLogService::Append(ClientLogEntry entry) {
  std::vector<ClientLogEntry> one;
  one.push_back(std::move(entry));
  auto stored = AppendBatch(std::move(one));
  if (!stored) return stored.error();
  return Ok{};
}

Result<std::int64_t> ClientLogService::AppendBatch(std::vector<ClientLogEntry> entries) {
  const std::string now = FormatRfc3339(clock_.Now());
  for (auto& entry : entries) {
    auto level = NormalizeLevel(entry.level);
    if (!level) return Error(ErrorCode::kInvalidArgument, "level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL");
    if (entry.message.empty()) return Error(ErrorCode::kInvalidArgument, "message is required");
    entry.level = *level;
    if (entry.id.empty()) entry.id = NewUuid(random_);
    if (entry.timestamp.empty()) entry.timestamp = now;
  }

  std::vector<const ClientLogEntry*> fresh;  // the entries this batch added
  auto stored = db_.Transact([&](storage::Executor& tx) -> Result<void> {
    fresh.clear();
    for (const auto& entry : entries) {
      auto inserted = tx.Execute(
          "INSERT INTO client_logs(id, timestamp, level, label, message, file, function, line, metadata,"
          " client_id, client_name, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
          Params{entry.id, entry.timestamp, entry.level, entry.label, entry.message, Opt(entry.file),
                 Opt(entry.function), entry.line ? Value{*entry.line} : Value{Null{}}, Opt(entry.metadata_json),
                 Opt(entry.client_id), Opt(entry.client_name), now});
      if (!inserted) return inserted.error();
      if (*inserted > 0) fresh.push_back(&entry);
    }
    // Retention: keep the newest max_entries_ rows.
    auto pruned =
        tx.Execute("DELETE FROM client_logs WHERE seq <= (SELECT MAX(seq) FROM client_logs) - ?", Params{max_entries_});
    if (!pruned) return pruned.error();
    return Ok{};
  });
  if (!stored) return stored.error();
  if (events_ != nullptr) {
    for (const auto* entry : fresh) {
      // The entry is stored; a failed broadcast only means a console misses it live.
      (void)events_->Publish({{Topic()},
                              ClientLogReceived{entry->id, entry->timestamp, entry->level, entry->label, entry->message,
                                                entry->client_id, entry->client_name}});
    }
  }
  return static_cast<std::int64_t>(fresh.size());
}

Result<ClientLogPage> ClientLogService::List(const ClientLogQuery& query) {
  std::string where = " WHERE 1=1";
  Params params;
  if (query.level) {
    auto level = NormalizeLevel(*query.level);
    if (!level) return Error(ErrorCode::kInvalidArgument, "level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL");
    where += " AND level = ?";
    params.emplace_back(*level);
  }
  if (query.label) {
    where += " AND label = ?";
    params.emplace_back(*query.label);
  }
  if (query.since) {
    where += " AND timestamp >= ?";
    params.emplace_back(*query.since);
  }
  if (query.limit < 0 || query.limit > kMaxLimit) {
    return Error(ErrorCode::kInvalidArgument, "limit must be between 0 and " + std::to_string(kMaxLimit));
  }

  auto count = db_.Query("SELECT COUNT(*) FROM client_logs" + where, params);
  if (!count) return count.error();
  ClientLogPage page;
  page.total = count->empty() ? 0 : storage::AsInt(count->rows[0][0]).value_or(0);

  Params page_params = params;
  page_params.emplace_back(static_cast<std::int64_t>(query.limit));
  auto rows = db_.Query(
      "SELECT id, timestamp, level, label, message, file, function, line, metadata, client_id, client_name"
      " FROM client_logs" +
          where + " ORDER BY seq DESC LIMIT ?",
      page_params);
  if (!rows) return rows.error();
  for (const auto& r : rows->rows) {
    ClientLogEntry e;
    e.id = OptText(r[0]).value_or("");
    e.timestamp = OptText(r[1]).value_or("");
    e.level = OptText(r[2]).value_or("");
    e.label = OptText(r[3]).value_or("");
    e.message = OptText(r[4]).value_or("");
    e.file = OptText(r[5]);
    e.function = OptText(r[6]);
    e.line = storage::AsInt(r[7]);
    e.metadata_json = OptText(r[8]);
    e.client_id = OptText(r[9]);
    e.client_name = OptText(r[10]);
    page.logs.push_back(std::move(e));
  }
  return page;
}

Result<std::int64_t> ClientLogService::Count() {
  auto rows = db_.Query("SELECT COUNT(*) FROM client_logs");
  if (!rows) return rows.error();
  return rows->empty() ? 0 : storage::AsInt(rows->rows[0][0]).value_or(0);
}

Result<std::int64_t> ClientLogService::Clear() {
  std::int64_t cleared = 0;
  auto done = db_.Transact([&](storage::Executor& tx) -> Result<void> {
    auto n = tx.Execute("DELETE FROM client_logs");
    if (!n) return n.error();
    cleared = *n;
    return Ok{};
  });
  if (!done) return done.error();
  return cleared;
}

}  // namespace atrium::core::logs
