#pragma once
// UsageQueries in portable SQL (tables users, conversations, messages).

#include "core/analytics/usage_queries.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlUsageQueries final : public core::analytics::UsageQueries {
 public:
  explicit SqlUsageQueries(Database& db) : db_(db) {}

  core::Result<core::analytics::UsageTotals> Totals(const std::string& start) override;
  core::Result<std::vector<core::analytics::ModelUsage>> ModelUsageSince(const std::string& start) override;
  core::Result<std::vector<core::analytics::ModelCost>> CostsSince(const std::string& start) override;
  core::Result<core::analytics::DailyActivity> DailySince(const std::string& start) override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
