#include "core/ratelimit/in_memory_rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "support/fakes.hpp"

namespace atrium::core::ratelimit {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kWall = 1714979289;  // FixedNow() in whole seconds

// 5 per minute, all at once: one token comes back every 12 seconds.
RateRule FivePerMinute(std::string name = "login") { return RateRule{std::move(name), 5, 60s, 5}; }

class RateLimiterTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
  InMemoryRateLimiter limiter_{clock_};
};

TEST_F(RateLimiterTest, AllowsTheBurstThenRefuses) {
  const RateRule rule = FivePerMinute();
  for (int i = 1; i <= 5; ++i) {
    const RateDecision d = *limiter_.Check(rule, "ip:1");
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.limit, 5);
    EXPECT_EQ(d.window_seconds, 60);
    EXPECT_EQ(d.remaining, 5 - i) << i;
    EXPECT_EQ(d.retry_after, 0) << i;
    EXPECT_EQ(d.reset_epoch, kWall + 12 * i) << i;  // full again once the spent tokens come back
  }
  const RateDecision refused = *limiter_.Check(rule, "ip:1");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.limit, 5);
  EXPECT_EQ(refused.window_seconds, 60);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after, 12);
  EXPECT_EQ(refused.reset_epoch, kWall + 60);
  // A refusal spends nothing: the answer is the same the next time.
  const RateDecision again = *limiter_.Check(rule, "ip:1");
  EXPECT_FALSE(again.allowed);
  EXPECT_EQ(again.retry_after, 12);
  EXPECT_EQ(again.reset_epoch, kWall + 60);
}

TEST_F(RateLimiterTest, RefillsContinuously) {
  const RateRule rule = FivePerMinute();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter_.Check(rule, "ip:1")->allowed);

  clock_.Advance(6s);  // half a token
  RateDecision d = *limiter_.Check(rule, "ip:1");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, 6);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_EQ(d.reset_epoch, kWall + 60);

  clock_.Advance(6s);  // a whole token
  d = *limiter_.Check(rule, "ip:1");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_EQ(d.retry_after, 0);
  EXPECT_EQ(d.reset_epoch, kWall + 72);
  EXPECT_FALSE(limiter_.Check(rule, "ip:1")->allowed);

  clock_.Advance(24s);  // two tokens
  EXPECT_EQ(limiter_.Check(rule, "ip:1")->remaining, 1);
  EXPECT_EQ(limiter_.Check(rule, "ip:1")->remaining, 0);
  EXPECT_FALSE(limiter_.Check(rule, "ip:1")->allowed);
}

TEST_F(RateLimiterTest, NeverHoldsMoreThanTheBurst) {
  const RateRule rule = FivePerMinute();
  ASSERT_TRUE(limiter_.Check(rule, "ip:1")->allowed);
  clock_.Advance(24h);
  for (int i = 1; i <= 5; ++i) EXPECT_TRUE(limiter_.Check(rule, "ip:1")->allowed) << i;
  EXPECT_FALSE(limiter_.Check(rule, "ip:1")->allowed);
}

TEST_F(RateLimiterTest, BurstSmallerThanTheLimit) {
  const RateRule rule{"chat", 60, 60s, 2};  // one a second, two at once
  const RateDecision first = *limiter_.Check(rule, "user:1");
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.limit, 60);
  EXPECT_EQ(first.remaining, 1);
  EXPECT_EQ(first.reset_epoch, kWall + 1);
  EXPECT_TRUE(limiter_.Check(rule, "user:1")->allowed);
  const RateDecision refused = *limiter_.Check(rule, "user:1");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1);
  EXPECT_EQ(refused.reset_epoch, kWall + 2);
  clock_.Advance(1s);
  EXPECT_TRUE(limiter_.Check(rule, "user:1")->allowed);
  EXPECT_FALSE(limiter_.Check(rule, "user:1")->allowed);
}

TEST_F(RateLimiterTest, ZeroBurstMeansTheLimit) {
  const RateRule rule{"general", 3, 3600s, 0};
  for (int i = 1; i <= 3; ++i) {
    const RateDecision d = *limiter_.Check(rule, "ip:1");
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, 3 - i);
  }
  const RateDecision refused = *limiter_.Check(rule, "ip:1");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1200);  // one every 20 minutes
  EXPECT_EQ(refused.reset_epoch, kWall + 3600);
  EXPECT_EQ(refused.window_seconds, 3600);
}

TEST_F(RateLimiterTest, KeysAreIndependent) {
  const RateRule rule = FivePerMinute();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter_.Check(rule, "ip:1")->allowed);
  ASSERT_FALSE(limiter_.Check(rule, "ip:1")->allowed);
  const RateDecision other = *limiter_.Check(rule, "ip:2");
  EXPECT_TRUE(other.allowed);
  EXPECT_EQ(other.remaining, 4);
  EXPECT_FALSE(limiter_.Check(rule, "ip:1")->allowed);
}

TEST_F(RateLimiterTest, RulesAreIndependent) {
  const RateRule login = FivePerMinute("login");
  const RateRule chat = FivePerMinute("chat");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter_.Check(login, "user:1")->allowed);
  ASSERT_FALSE(limiter_.Check(login, "user:1")->allowed);
  const RateDecision d = *limiter_.Check(chat, "user:1");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 4);
}

TEST_F(RateLimiterTest, PruningBoundsMemoryAndStillAnswersCorrectly) {
  InMemoryRateLimiter limiter(clock_, /*max_buckets=*/10);
  const RateRule rule{"hourly", 1, 3600s, 1};
  // Ten buckets, each spent, one second apart (k0 is the oldest).
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(limiter.Check(rule, "k" + std::to_string(i))->allowed) << i;
    clock_.Advance(1s);
  }
  // The eleventh bucket finds the table full of recent buckets and drops the older half.
  EXPECT_TRUE(limiter.Check(rule, "k10")->allowed);
  for (int i = 5; i <= 10; ++i) {
    const RateDecision d = *limiter.Check(rule, "k" + std::to_string(i));
    EXPECT_FALSE(d.allowed) << "k" << i << " was kept and is still spent";
  }
  // A dropped bucket starts full again: forgetting errs towards allowing.
  EXPECT_TRUE(limiter.Check(rule, "k0")->allowed);
  EXPECT_FALSE(limiter.Check(rule, "k0")->allowed);

  // Many more keys than buckets: every new key is still answered as a fresh bucket and
  // the most recent ones are remembered.
  for (int i = 0; i < 1000; ++i) {
    const RateDecision d = *limiter.Check(rule, "n" + std::to_string(i));
    ASSERT_TRUE(d.allowed) << i;
    ASSERT_EQ(d.remaining, 0) << i;
    clock_.Advance(1ms);
  }
  EXPECT_FALSE(limiter.Check(rule, "n999")->allowed);
}

TEST_F(RateLimiterTest, IdleBucketsArePrunedFirst) {
  InMemoryRateLimiter limiter(clock_, /*max_buckets=*/4);
  const RateRule rule{"daily", 1, 86400s, 1};
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.Check(rule, "old" + std::to_string(i))->allowed);
  clock_.Advance(3601s);
  ASSERT_TRUE(limiter.Check(rule, "recent")->allowed);
  // Full: the three buckets idle for over an hour go and the recent one stays.
  ASSERT_TRUE(limiter.Check(rule, "new")->allowed);
  EXPECT_FALSE(limiter.Check(rule, "recent")->allowed);
  EXPECT_TRUE(limiter.Check(rule, "old0")->allowed);  // forgotten: a daily limit errs towards allowing
}

TEST_F(RateLimiterTest, ConcurrentChecksSpendEachTokenOnce) {
  const RateRule rule{"chat", 100, 60s, 100};
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::atomic<int> allowed{0};
  std::latch start(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        start.arrive_and_wait();
        for (int i = 0; i < kPerThread; ++i) {
          if (limiter_.Check(rule, "user:1")->allowed) ++allowed;
        }
      });
    }
  }
  EXPECT_EQ(allowed.load(), 100);  // the clock does not move: exactly the burst
}

// A limiter whose store is unreachable: every check fails.
class UnreachableLimiter final : public RateLimiter {
 public:
  Result<RateDecision> Check(const RateRule&, std::string_view) override {
    ++calls;
    return Error(ErrorCode::kUnavailable, "limiter unavailable", "store down");
  }
  int calls = 0;
};

TEST(RateLimiterPolicyTest, RulesFailOpenByDefault) { EXPECT_EQ(RateRule{}.on_failure, FailMode::kOpen); }

TEST(RateLimiterPolicyTest, AFailedCheckPassesOnlyUnderAnOpenRule) {
  UnreachableLimiter limiter;
  const RateRule open{"general", 60, 60s, 0, FailMode::kOpen};
  const RateRule closed{"login", 5, 60s, 5, FailMode::kClosed};
  EXPECT_TRUE(Passes(open, limiter.Check(open, "ip:1")));
  EXPECT_FALSE(Passes(closed, limiter.Check(closed, "ip:1")));
  EXPECT_EQ(limiter.calls, 2);
}

TEST_F(RateLimiterTest, ADecisionPassesWhenAllowedWhateverTheRule) {
  const RateRule closed{"login", 1, 60s, 1, FailMode::kClosed};
  EXPECT_TRUE(Passes(closed, limiter_.Check(closed, "ip:1")));
  EXPECT_FALSE(Passes(closed, limiter_.Check(closed, "ip:1")));
  const RateRule open{"general", 1, 60s, 1, FailMode::kOpen};
  EXPECT_TRUE(Passes(open, limiter_.Check(open, "ip:1")));
  EXPECT_FALSE(Passes(open, limiter_.Check(open, "ip:1")));  // a refusal is not a failure
}

}  // namespace
}  // namespace atrium::core::ratelimit
