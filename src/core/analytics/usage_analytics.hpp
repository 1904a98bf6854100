#pragma once
// Usage figures for administrators, read (UsageQueries) from the accounts, conversations and
// chat messages: how many users and how many of them are active, conversations and
// messages, tokens, usage and cost per model, and the same as time series.
//
// What counts:
// - The period is the last `days` x 24 hours before now (to the second), the same
//   window for every figure that has one.
// - Messages are the chat messages (roles user and assistant) of the conversations.
//   Arena answers live apart (arena sessions) and are not counted anywhere here;
//   neither are images. Usage and cost per model come from assistant messages (their
//   model, total_tokens and cost_usd; a stopped answer counts with what it used).
// - An active user sent at least one message in the period.
// - tokens_total is what every account has been charged since it was made (the users'
//   token counters): chat, and tokens spent outside conversations (enhance-prompt,
//   embeddings). The per-model and time-series tokens are those of assistant messages.
// - users_total, conversations_total and messages_total count everything stored now.
//
// Time series are in UTC. Day buckets are dates, week buckets start on Monday, month
// buckets on the 1st; each bucket is labelled with its first day (YYYY-MM-DD). Every
// bucket from the one holding the period's start to the one holding now is listed, in
// order, with 0 where nothing happened; the first and the last are partial.
//
// Thread-safety: every method may be called from any thread; all of them block on the
// database (call them from worker threads).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/analytics/usage_queries.hpp"
#include "core/persistence/repositories.hpp"

namespace atrium::core::analytics {

inline constexpr int kMinDays = 1;
inline constexpr int kMaxDays = 365;
inline constexpr std::size_t kPopularModels = 10;  // the time series' popular_models

struct UsageSummary {
  std::int64_t users_total = 0;
  std::int64_t users_active = 0;
  std::int64_t conversations_total = 0;
  std::int64_t conversations_recent = 0;  // created in the period
  std::int64_t messages_total = 0;
  std::int64_t tokens_total = 0;
  std::vector<ModelUsage> model_usage;  // in the period, most answers first, then by model
  int period_days = 0;
};

struct CostSummary {
  std::vector<ModelCost> by_model;  // in the period, highest cost first, then by model
  double total_cost_usd = 0;
  int period_days = 0;
};

enum class Granularity { kDay, kWeek, kMonth };

std::optional<Granularity> ParseGranularity(std::string_view text);  // "day", "week", "month"
std::string_view GranularityName(Granularity g);

struct Point {
  std::string date;  // the bucket's first day, YYYY-MM-DD
  std::int64_t value = 0;
};

struct Timeseries {
  std::vector<Point> messages;
  std::vector<Point> users;  // sign-ups
  std::vector<Point> conversations;
  std::vector<Point> tokens;               // of assistant messages
  std::vector<ModelUsage> popular_models;  // the first kPopularModels of model_usage
  int period_days = 0;
  Granularity granularity = Granularity::kDay;
};

class UsageAnalytics {
 public:
  UsageAnalytics(const persistence::Repositories& repos, const Clock& clock);

  // Each fails with kInvalidArgument when `days` is outside [kMinDays, kMaxDays].
  Result<UsageSummary> Summary(int days);
  Result<CostSummary> Costs(int days);
  Result<Timeseries> Series(int days, Granularity granularity);

 private:
  // The period's start as stored timestamps compare (see the .cpp).
  std::string WindowStart(int days) const;

  UsageQueries& queries_;
  const Clock& clock_;
};

}  // namespace atrium::core::analytics
