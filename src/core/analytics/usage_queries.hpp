#pragma once
// The reads behind the admin usage figures (usage_analytics.hpp says what counts),
// over accounts, conversations and chat messages. Blocking; thread-safe; read-only.
//
// `start` is the period's start as stored timestamps compare: RFC 3339 UTC to the
// second without the trailing 'Z' ("2024-05-06T07:08:09"), so that stored values with
// or without milliseconds compare as text the way their times do.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::analytics {

struct ModelUsage {
  std::string model;  // "unknown" for answers stored without one
  std::int64_t count = 0;
  std::int64_t total_tokens = 0;
};

struct ModelCost {
  std::string model;
  double total_cost = 0;  // USD; answers without a known price count as 0
  std::int64_t requests = 0;
  std::int64_t total_tokens = 0;
};

struct UsageTotals {
  std::int64_t users_total = 0;
  std::int64_t users_active = 0;  // distinct senders of user messages since start
  std::int64_t conversations_total = 0;
  std::int64_t conversations_recent = 0;  // created since start
  std::int64_t messages_total = 0;        // user and assistant messages
  std::int64_t tokens_total = 0;          // the users' token counters, summed
};

// One date's (YYYY-MM-DD, the stored timestamp's first ten characters) figures.
struct DayFigures {
  std::string date;
  std::int64_t count = 0;
  std::int64_t tokens = 0;  // assistant messages' total_tokens (messages only; else 0)
};

struct DailyActivity {
  std::vector<DayFigures> messages;  // user and assistant messages
  std::vector<DayFigures> users;     // sign-ups
  std::vector<DayFigures> conversations;
};

class UsageQueries {
 public:
  virtual ~UsageQueries() = default;
  // Every figure from one snapshot of the data.
  virtual Result<UsageTotals> Totals(const std::string& start) = 0;
  // Assistant messages since start per model: most answers first, then by model.
  virtual Result<std::vector<ModelUsage>> ModelUsageSince(const std::string& start) = 0;
  // Assistant messages since start per model: highest cost first, then by model.
  virtual Result<std::vector<ModelCost>> CostsSince(const std::string& start) = 0;
  // Per date since start, dates in any order, only dates with something.
  virtual Result<DailyActivity> DailySince(const std::string& start) = 0;
};

}  // namespace atrium::core::analytics
