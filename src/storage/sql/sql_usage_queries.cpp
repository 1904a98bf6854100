#include "storage/sql/sql_usage_queries.hpp"

#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

using core::analytics::DayFigures;

// A model's name as grouped: answers stored without one are "unknown".
constexpr const char* kModelColumn = "COALESCE(NULLIF(model, ''), 'unknown')";

std::vector<DayFigures> Days(const Rows& rows, bool with_tokens) {
  std::vector<DayFigures> out;
  for (const auto& r : rows.rows) {
    out.push_back({Text(r[0]), Int(r[1]), with_tokens ? Int(r[2]) : 0});
  }
  return out;
}

}  // namespace

core::Result<core::analytics::UsageTotals> SqlUsageQueries::Totals(const std::string& start) {
  // One statement, so the figures come from one snapshot of the database.
  auto rows = db_.Query(
      "SELECT (SELECT COUNT(*) FROM users),"
      " (SELECT COUNT(DISTINCT user_id) FROM messages WHERE role = 'user' AND created_at >= ?),"
      " (SELECT COUNT(*) FROM conversations),"
      " (SELECT COUNT(*) FROM conversations WHERE created_at >= ?),"
      " (SELECT COUNT(*) FROM messages WHERE role IN ('user', 'assistant')),"
      " (SELECT COALESCE(SUM(tokens_used), 0) FROM users)",
      Params{start, start});
  if (!rows) return rows.error();
  if (rows->empty()) return core::Error(core::ErrorCode::kInternal, "Internal error", "analytics: no totals row");
  const auto& r = rows->rows[0];
  return core::analytics::UsageTotals{Int(r[0]), Int(r[1]), Int(r[2]), Int(r[3]), Int(r[4]), Int(r[5])};
}

core::Result<std::vector<core::analytics::ModelUsage>> SqlUsageQueries::ModelUsageSince(const std::string& start) {
  auto rows = db_.Query(std::string("SELECT ") + kModelColumn +
                            " AS m, COUNT(*) AS n, COALESCE(SUM(total_tokens), 0) FROM messages"
                            " WHERE role = 'assistant' AND created_at >= ? GROUP BY m ORDER BY n DESC, m",
                        Params{start});
  if (!rows) return rows.error();
  std::vector<core::analytics::ModelUsage> out;
  for (const auto& r : rows->rows) out.push_back({Text(r[0], "unknown"), Int(r[1]), Int(r[2])});
  return out;
}

core::Result<std::vector<core::analytics::ModelCost>> SqlUsageQueries::CostsSince(const std::string& start) {
  auto rows = db_.Query(std::string("SELECT ") + kModelColumn +
                            " AS m, COALESCE(SUM(cost_usd), 0.0) AS cost, COUNT(*), COALESCE(SUM(total_tokens), 0)"
                            " FROM messages WHERE role = 'assistant' AND created_at >= ? GROUP BY m"
                            " ORDER BY cost DESC, m",
                        Params{start});
  if (!rows) return rows.error();
  std::vector<core::analytics::ModelCost> out;
  for (const auto& r : rows->rows) {
    out.push_back({Text(r[0], "unknown"), AsDouble(r[1]).value_or(0), Int(r[2]), Int(r[3])});
  }
  return out;
}

core::Result<core::analytics::DailyActivity> SqlUsageQueries::DailySince(const std::string& start) {
  auto messages = db_.Query(
      "SELECT substr(created_at, 1, 10) AS d, COUNT(*),"
      " COALESCE(SUM(CASE WHEN role = 'assistant' THEN COALESCE(total_tokens, 0) ELSE 0 END), 0)"
      " FROM messages WHERE role IN ('user', 'assistant') AND created_at >= ? GROUP BY d",
      Params{start});
  if (!messages) return messages.error();
  auto users = db_.Query("SELECT substr(created_at, 1, 10) AS d, COUNT(*) FROM users WHERE created_at >= ? GROUP BY d",
                         Params{start});
  if (!users) return users.error();
  auto conversations =
      db_.Query("SELECT substr(created_at, 1, 10) AS d, COUNT(*) FROM conversations WHERE created_at >= ? GROUP BY d",
                Params{start});
  if (!conversations) return conversations.error();
  return core::analytics::DailyActivity{Days(*messages, true), Days(*users, false), Days(*conversations, false)};
}

}  // namespace atrium::storage::sql
