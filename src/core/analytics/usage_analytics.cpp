#include "core/analytics/usage_analytics.hpp"

#include <chrono>
#include <cstdio>
#include <map>

namespace atrium::core::analytics {

namespace {

using storage::AsDouble;
using storage::AsInt;
using storage::AsText;
using storage::Params;
namespace chrono = std::chrono;

// Stored timestamps are RFC 3339 UTC, with or without milliseconds
// ("2024-05-06T07:08:09Z", "2024-05-06T07:08:09.123Z"). Against a bound written
// without the suffix ("2024-05-06T07:08:09") both compare as text the way their times
// compare, to the second, so the period is a plain (indexed) range.
std::string SecondText(chrono::sys_seconds t) {
  std::string s = FormatRfc3339(t);
  if (!s.empty() && s.back() == 'Z') s.pop_back();
  return s;
}

// A model's name as grouped: answers stored without one are "unknown".
constexpr const char* kModelColumn = "COALESCE(NULLIF(model, ''), 'unknown')";

Error BadDays() {
  return Error(ErrorCode::kInvalidArgument,
               "days must be an integer from " + std::to_string(kMinDays) + " to " + std::to_string(kMaxDays))
      .WithReason(Reason::kInvalidDays);
}

std::optional<chrono::sys_days> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t k = 0; k < lengths[i]; ++k) {
      const char c = text[starts[i] + k];
      if (c < '0' || c > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  const chrono::year_month_day ymd{chrono::year(parts[0]), chrono::month(static_cast<unsigned>(parts[1])),
                                   chrono::day(static_cast<unsigned>(parts[2]))};
  if (!ymd.ok()) return std::nullopt;
  return chrono::sys_days(ymd);
}

std::string DateText(chrono::sys_days d) {
  const chrono::year_month_day ymd(d);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

chrono::sys_days BucketOf(chrono::sys_days d, Granularity g) {
  switch (g) {
    case Granularity::kDay:
      return d;
    case Granularity::kWeek:
      return d - (chrono::weekday(d) - chrono::Monday);  // weekday differences are 0..6
    case Granularity::kMonth: {
      const chrono::year_month_day ymd(d);
      return chrono::sys_days(ymd.year() / ymd.month() / 1);
    }
  }
  return d;
}

chrono::sys_days NextBucket(chrono::sys_days b, Granularity g) {
  switch (g) {
    case Granularity::kDay:
      return b + chrono::days(1);
    case Granularity::kWeek:
      return b + chrono::days(7);
    case Granularity::kMonth: {
      const chrono::year_month_day ymd(b);
      return chrono::sys_days((ymd.year() / ymd.month() + chrono::months(1)) / 1);
    }
  }
  return b + chrono::days(1);
}

// Every bucket from `first` to `last` (bucket starts) with the values of `per_day`
// (date -> value) summed into them; dates outside the range are dropped.
std::vector<Point> Fold(const std::map<chrono::sys_days, std::int64_t>& per_day, chrono::sys_days first,
                        chrono::sys_days last, Granularity g) {
  std::map<chrono::sys_days, std::int64_t> sums;
  for (const auto& [day, value] : per_day) {
    const auto b = BucketOf(day, g);
    if (b >= first && b <= last) sums[b] += value;
  }
  std::vector<Point> out;
  for (auto b = first; b <= last; b = NextBucket(b, g)) {
    const auto it = sums.find(b);
    out.push_back({DateText(b), it == sums.end() ? 0 : it->second});
  }
  return out;
}

// Rows of (YYYY-MM-DD, value...) into one date -> value map per value column.
std::vector<std::map<chrono::sys_days, std::int64_t>> PerDay(const storage::Rows& rows, std::size_t values) {
  std::vector<std::map<chrono::sys_days, std::int64_t>> out(values);
  for (const auto& r : rows.rows) {
    const auto day = ParseDate(AsText(r[0]).value_or(""));
    if (!day) continue;  // a malformed stored timestamp is left out, not guessed at
    for (std::size_t i = 0; i < values; ++i) out[i][*day] += AsInt(r[i + 1]).value_or(0);
  }
  return out;
}

}  // namespace

std::optional<Granularity> ParseGranularity(std::string_view text) {
  if (text == "day") return Granularity::kDay;
  if (text == "week") return Granularity::kWeek;
  if (text == "month") return Granularity::kMonth;
  return std::nullopt;
}

std::string_view GranularityName(Granularity g) {
  switch (g) {
    case Granularity::kDay:
      return "day";
    case Granularity::kWeek:
      return "week";
    case Granularity::kMonth:
      return "month";
  }
  return "day";
}

UsageAnalytics::UsageAnalytics(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

std::string UsageAnalytics::WindowStart(int days) const {
  return SecondText(chrono::floor<chrono::seconds>(clock_.Now()) - chrono::hours(24) * days);
}

Result<std::vector<ModelUsage>> UsageAnalytics::ModelUsageSince(const std::string& start) {
  auto rows = db_.Query(std::string("SELECT ") + kModelColumn +
                            " AS m, COUNT(*) AS n, COALESCE(SUM(total_tokens), 0) FROM messages"
                            " WHERE role = 'assistant' AND created_at >= ? GROUP BY m ORDER BY n DESC, m",
                        Params{start});
  if (!rows) return rows.error();
  std::vector<ModelUsage> out;
  for (const auto& r : rows->rows) {
    out.push_back({AsText(r[0]).value_or("unknown"), AsInt(r[1]).value_or(0), AsInt(r[2]).value_or(0)});
  }
  return out;
}

Result<UsageSummary> UsageAnalytics::Summary(int days) {
  if (days < kMinDays || days > kMaxDays) return BadDays();
  const std::string start = WindowStart(days);
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
  if (rows->empty()) return Error(ErrorCode::kInternal, "Internal error", "analytics: summary query gave no row");
  const auto& r = rows->rows[0];
  UsageSummary s;
  s.users_total = AsInt(r[0]).value_or(0);
  s.users_active = AsInt(r[1]).value_or(0);
  s.conversations_total = AsInt(r[2]).value_or(0);
  s.conversations_recent = AsInt(r[3]).value_or(0);
  s.messages_total = AsInt(r[4]).value_or(0);
  s.tokens_total = AsInt(r[5]).value_or(0);
  auto usage = ModelUsageSince(start);
  if (!usage) return usage.error();
  s.model_usage = std::move(*usage);
  s.period_days = days;
  return s;
}

Result<CostSummary> UsageAnalytics::Costs(int days) {
  if (days < kMinDays || days > kMaxDays) return BadDays();
  auto rows = db_.Query(std::string("SELECT ") + kModelColumn +
                            " AS m, TOTAL(cost_usd) AS cost, COUNT(*), COALESCE(SUM(total_tokens), 0) FROM messages"
                            " WHERE role = 'assistant' AND created_at >= ? GROUP BY m ORDER BY cost DESC, m",
                        Params{WindowStart(days)});
  if (!rows) return rows.error();
  CostSummary c;
  for (const auto& r : rows->rows) {
    ModelCost m{AsText(r[0]).value_or("unknown"), AsDouble(r[1]).value_or(0), AsInt(r[2]).value_or(0),
                AsInt(r[3]).value_or(0)};
    c.total_cost_usd += m.total_cost;
    c.by_model.push_back(std::move(m));
  }
  c.period_days = days;
  return c;
}

Result<Timeseries> UsageAnalytics::Series(int days, Granularity granularity) {
  if (days < kMinDays || days > kMaxDays) return BadDays();
  const auto now = chrono::floor<chrono::seconds>(clock_.Now());
  const auto start_time = now - chrono::hours(24) * days;
  const std::string start = SecondText(start_time);

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
  auto usage = ModelUsageSince(start);
  if (!usage) return usage.error();

  const auto first = BucketOf(chrono::floor<chrono::days>(start_time), granularity);
  const auto last = BucketOf(chrono::floor<chrono::days>(now), granularity);
  const auto message_days = PerDay(*messages, 2);
  Timeseries t;
  t.messages = Fold(message_days[0], first, last, granularity);
  t.tokens = Fold(message_days[1], first, last, granularity);
  t.users = Fold(PerDay(*users, 1)[0], first, last, granularity);
  t.conversations = Fold(PerDay(*conversations, 1)[0], first, last, granularity);
  if (usage->size() > kPopularModels) usage->resize(kPopularModels);
  t.popular_models = std::move(*usage);
  t.period_days = days;
  t.granularity = granularity;
  return t;
}

}  // namespace atrium::core::analytics
