// CheckRate at the edge: a refusal is a 429 with the limit's headers; a limiter that
// cannot answer follows the rule's FailMode (open: allowed, no headers; closed: 503).

#include "dialects/common/rate_limit.hpp"

#include <gtest/gtest.h>

#include "core/ratelimit/in_memory_rate_limiter.hpp"
#include "support/fakes.hpp"

namespace atrium::dialects {
namespace {

using namespace std::chrono_literals;
using core::FailMode;
using core::ratelimit::RateRule;
using Checked = http::Result<std::optional<RateCheck>>;

class UnreachableLimiter final : public core::ratelimit::RateLimiter {
 public:
  core::Result<core::ratelimit::RateDecision> Check(const RateRule&, std::string_view) override {
    return core::Error(core::ErrorCode::kUnavailable, "limiter unavailable", "store down");
  }
};

TEST(CheckRateTest, AFailedCheckUnderAnOpenRuleAllowsWithoutHeaders) {
  UnreachableLimiter down;
  const Checked checked = CheckRate(down, RateRule{"general", 60, 60s, 0, FailMode::kOpen}, "ip:1", false, "slow");
  ASSERT_TRUE(checked.ok());
  EXPECT_FALSE(checked->has_value());
}

TEST(CheckRateTest, AFailedCheckUnderAClosedRuleIsUnavailable) {
  UnreachableLimiter down;
  const Checked checked = CheckRate(down, RateRule{"login", 5, 60s, 5, FailMode::kClosed}, "ip:1", false, "slow");
  ASSERT_FALSE(checked.ok());
  const auto& e = checked.error();
  EXPECT_EQ(e.kind, http::ErrorKind::kUnavailable);
  EXPECT_EQ(e.status, 503);
  EXPECT_EQ(e.message, "Service temporarily unavailable, retry later");
  EXPECT_EQ(e.headers.Get("Retry-After"), "1");
}

TEST(CheckRateTest, ARefusalIsA429WithTheLimitsHeaders) {
  testing::FakeClock clock;
  core::ratelimit::InMemoryRateLimiter limiter(clock);
  const RateRule rule{"login", 1, 60s, 1, FailMode::kClosed};
  ASSERT_TRUE(*CheckRate(limiter, rule, "ip:1", true, "wait {seconds}s"));
  const Checked refused = CheckRate(limiter, rule, "ip:1", true, "wait {seconds}s");
  ASSERT_FALSE(refused.ok());
  const auto& e = refused.error();
  EXPECT_EQ(e.kind, http::ErrorKind::kRateLimited);
  EXPECT_EQ(e.message, "wait 60s");
  EXPECT_EQ(e.headers.Get("Retry-After"), "60");
  EXPECT_EQ(e.headers.Get("X-RateLimit-Limit"), "1");
  EXPECT_EQ(e.headers.Get("X-RateLimit-Window"), "60");
}

}  // namespace
}  // namespace atrium::dialects
