#include "storage/redis/redis_rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <thread>

#include "core/metrics/shared_state_stats.hpp"
#include "storage/redis/redis_test_support.hpp"
#include "support/redis_test_server.hpp"

namespace atrium::storage::redis {
namespace {

using core::ratelimit::Passes;
using core::ratelimit::RateRule;
using testing::OwnRedisServer;
using testing::UniquePrefix;

TEST(RedisRateLimiter, DecisionsMatchTheTokenBucket) {
  ATRIUM_REQUIRE_REDIS(url);
  core::metrics::SharedStateStats stats;
  RedisClient client(TestOptions(url), stats);
  ASSERT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
  const std::string prefix = UniquePrefix();
  RedisRateLimiter limiter(client, prefix);
  const RateRule rule{.name = "login", .limit = 3, .window = std::chrono::seconds(60)};
  for (int i = 0; i < 3; ++i) {
    auto d = limiter.Check(rule, "ip:1.2.3.4");
    ASSERT_TRUE(d.ok()) << d.error().internal_message();
    EXPECT_TRUE(d->allowed);
    EXPECT_EQ(d->limit, 3);
    EXPECT_EQ(d->remaining, 2 - i);
    EXPECT_EQ(d->window_seconds, 60);
    EXPECT_EQ(d->retry_after, 0);
  }
  auto refused = limiter.Check(rule, "ip:1.2.3.4");
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->remaining, 0);
  // 1 token per 20 s; the milliseconds since the first check refilled a little of one.
  EXPECT_GE(refused->retry_after, 19);
  EXPECT_LE(refused->retry_after, 20);
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  EXPECT_NEAR(static_cast<double>(refused->reset_epoch), static_cast<double>(now + 60), 2.0);
  // Another key has its own bucket.
  EXPECT_TRUE(limiter.Check(rule, "ip:5.6.7.8")->allowed);
  // A bucket's key lives until the bucket would be full again (60 s here), plus a second.
  auto ttl = client.Run({"PTTL", prefix + "rl:login|ip:1.2.3.4"});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 55000);
  EXPECT_LE(ttl->integer, 61000);
}

TEST(RedisRateLimiter, RefillsAtTheRulesRateAndHonoursTheBurst) {
  ATRIUM_REQUIRE_REDIS(url);
  core::metrics::SharedStateStats stats;
  RedisClient client(TestOptions(url), stats);
  ASSERT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
  RedisRateLimiter limiter(client, UniquePrefix());
  // 10 per second, at most 2 at once.
  const RateRule rule{.name = "chat", .limit = 10, .window = std::chrono::seconds(1), .burst = 2};
  EXPECT_TRUE(limiter.Check(rule, "u")->allowed);
  EXPECT_TRUE(limiter.Check(rule, "u")->allowed);
  auto refused = limiter.Check(rule, "u");
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->retry_after, 1);                           // rounded up to whole seconds, at least 1
  std::this_thread::sleep_for(std::chrono::milliseconds(250));  // 2.5 tokens, capped at 2
  EXPECT_TRUE(limiter.Check(rule, "u")->allowed);
  EXPECT_TRUE(limiter.Check(rule, "u")->allowed);
  EXPECT_FALSE(limiter.Check(rule, "u")->allowed);
}

TEST(RedisRateLimiter, TwoInstancesTogetherAllowExactlyTheLimit) {
  ATRIUM_REQUIRE_REDIS(url);
  const std::string prefix = UniquePrefix();
  core::metrics::SharedStateStats stats_a;
  core::metrics::SharedStateStats stats_b;
  RedisClient client_a(TestOptions(url), stats_a);
  RedisClient client_b(TestOptions(url), stats_b);
  ASSERT_TRUE(client_a.WaitConnected(std::chrono::seconds(5)));
  ASSERT_TRUE(client_b.WaitConnected(std::chrono::seconds(5)));
  RedisRateLimiter a(client_a, prefix);
  RedisRateLimiter b(client_b, prefix);
  // An hour-long window: no measurable refill while the test runs.
  const RateRule rule{.name = "general", .limit = 40, .window = std::chrono::hours(1)};
  std::atomic<int> allowed{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      RedisRateLimiter& limiter = t % 2 == 0 ? a : b;
      for (int i = 0; i < 25; ++i) {
        auto d = limiter.Check(rule, "user:shared");
        ASSERT_TRUE(d.ok()) << d.error().internal_message();
        (d->allowed ? allowed : refused)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 40);
  EXPECT_EQ(refused.load(), 60);
}

TEST(RedisRateLimiter, UnreachableRedisFailsAndTheRuleDecides) {
  OwnRedisServer server;
  core::metrics::SharedStateStats stats;
  RedisClient client(TestOptions(server.url()), stats);
  ASSERT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
  RedisRateLimiter limiter(client, UniquePrefix());
  const RateRule open{.name = "chat", .limit = 1, .window = std::chrono::seconds(60)};
  const RateRule closed{
      .name = "login", .limit = 1, .window = std::chrono::seconds(60), .on_failure = core::FailMode::kClosed};
  EXPECT_TRUE(Passes(open, limiter.Check(open, "k")));
  EXPECT_FALSE(Passes(open, limiter.Check(open, "k")));  // a refusal, not a failure

  server.Stop();
  ASSERT_TRUE(Eventually([&] { return !limiter.Check(open, "k").ok(); }));
  const auto failed = limiter.Check(closed, "k");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), core::ErrorCode::kUnavailable);
  EXPECT_TRUE(Passes(open, limiter.Check(open, "k")));       // fails open
  EXPECT_FALSE(Passes(closed, limiter.Check(closed, "k")));  // fails closed

  // Back: the buckets are gone with the server (no persistence), and checks work again.
  server.Restart();
  ASSERT_TRUE(Eventually([&] { return limiter.Check(closed, "fresh").ok(); }));
  EXPECT_TRUE(Passes(closed, limiter.Check(closed, "other")));
}

}  // namespace
}  // namespace atrium::storage::redis
