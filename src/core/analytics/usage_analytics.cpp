#include "core/analytics/usage_analytics.hpp"

#include <chrono>
#include <cstdio>
#include <map>

namespace atrium::core::analytics {

namespace {

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

// Per-date figures into date -> count and date -> tokens maps.
std::map<chrono::sys_days, std::int64_t> PerDay(const std::vector<DayFigures>& days, bool tokens) {
  std::map<chrono::sys_days, std::int64_t> out;
  for (const auto& d : days) {
    const auto day = ParseDate(d.date);
    if (!day) continue;  // a malformed stored timestamp is left out, not guessed at
    out[*day] += tokens ? d.tokens : d.count;
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

UsageAnalytics::UsageAnalytics(const persistence::Repositories& repos, const Clock& clock)
    : queries_(repos.usage), clock_(clock) {}

std::string UsageAnalytics::WindowStart(int days) const {
  return SecondText(chrono::floor<chrono::seconds>(clock_.Now()) - chrono::hours(24) * days);
}

Result<UsageSummary> UsageAnalytics::Summary(int days) {
  if (days < kMinDays || days > kMaxDays) return BadDays();
  const std::string start = WindowStart(days);
  auto totals = queries_.Totals(start);
  if (!totals) return totals.error();
  UsageSummary s;
  s.users_total = totals->users_total;
  s.users_active = totals->users_active;
  s.conversations_total = totals->conversations_total;
  s.conversations_recent = totals->conversations_recent;
  s.messages_total = totals->messages_total;
  s.tokens_total = totals->tokens_total;
  auto usage = queries_.ModelUsageSince(start);
  if (!usage) return usage.error();
  s.model_usage = std::move(*usage);
  s.period_days = days;
  return s;
}

Result<CostSummary> UsageAnalytics::Costs(int days) {
  if (days < kMinDays || days > kMaxDays) return BadDays();
  auto costs = queries_.CostsSince(WindowStart(days));
  if (!costs) return costs.error();
  CostSummary c;
  for (auto& m : *costs) {
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

  auto daily = queries_.DailySince(start);
  if (!daily) return daily.error();
  auto usage = queries_.ModelUsageSince(start);
  if (!usage) return usage.error();

  const auto first = BucketOf(chrono::floor<chrono::days>(start_time), granularity);
  const auto last = BucketOf(chrono::floor<chrono::days>(now), granularity);
  Timeseries t;
  t.messages = Fold(PerDay(daily->messages, false), first, last, granularity);
  t.tokens = Fold(PerDay(daily->messages, true), first, last, granularity);
  t.users = Fold(PerDay(daily->users, false), first, last, granularity);
  t.conversations = Fold(PerDay(daily->conversations, false), first, last, granularity);
  if (usage->size() > kPopularModels) usage->resize(kPopularModels);
  t.popular_models = std::move(*usage);
  t.period_days = days;
  t.granularity = granularity;
  return t;
}

}  // namespace atrium::core::analytics
