#include "storage/redis/redis_login_throttle.hpp"

#include <gtest/gtest.h>

#include "core/metrics/shared_state_stats.hpp"
#include "storage/redis/redis_test_support.hpp"
#include "support/redis_test_server.hpp"

namespace atrium::storage::redis {
namespace {

using testing::OwnRedisServer;
using testing::UniquePrefix;

TEST(RedisLoginThrottle, ALockoutEarnedOnOneInstanceHoldsOnTheOther) {
  ATRIUM_REQUIRE_REDIS(url);
  const std::string prefix = UniquePrefix();
  core::metrics::SharedStateStats stats;
  RedisClient client_a(TestOptions(url), stats);
  RedisClient client_b(TestOptions(url), stats);
  ASSERT_TRUE(client_a.WaitConnected(std::chrono::seconds(5)));
  ASSERT_TRUE(client_b.WaitConnected(std::chrono::seconds(5)));
  const core::identity::ThrottleOptions options{
      .max_failures = 4, .window = std::chrono::seconds(60), .lockout = std::chrono::seconds(30)};
  RedisLoginThrottle a(client_a, prefix, options);
  RedisLoginThrottle b(client_b, prefix, options);

  // Failures split across the instances count together.
  ASSERT_TRUE(a.RecordFailure("ann@example.com", "10.0.0.1").ok());
  ASSERT_TRUE(b.RecordFailure("ann@example.com", "10.0.0.1").ok());
  ASSERT_TRUE(a.RecordFailure("ann@example.com", "10.0.0.1").ok());
  EXPECT_EQ(*b.LockedFor("ann@example.com", "10.0.0.1"), 0);
  ASSERT_TRUE(b.RecordFailure("ann@example.com", "10.0.0.1").ok());
  const auto locked_a = a.LockedFor("ann@example.com", "10.0.0.1");
  const auto locked_b = b.LockedFor("ann@example.com", "10.0.0.1");
  ASSERT_TRUE(locked_a.ok());
  ASSERT_TRUE(locked_b.ok());
  EXPECT_EQ(*locked_a, 30);  // rounded up
  EXPECT_EQ(*locked_b, 30);
  // Keyed by account and address: the owner elsewhere is not locked out.
  EXPECT_EQ(*a.LockedFor("ann@example.com", "10.0.0.2"), 0);
  EXPECT_EQ(*a.LockedFor("bob@example.com", "10.0.0.1"), 0);
  // A success forgets the lock and the count.
  ASSERT_TRUE(b.RecordSuccess("ann@example.com", "10.0.0.1").ok());
  EXPECT_EQ(*a.LockedFor("ann@example.com", "10.0.0.1"), 0);
}

TEST(RedisLoginThrottle, FailuresOutsideTheWindowAreForgotten) {
  ATRIUM_REQUIRE_REDIS(url);
  core::metrics::SharedStateStats stats;
  RedisClient client(TestOptions(url), stats);
  ASSERT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
  RedisLoginThrottle throttle(
      client, UniquePrefix(),
      {.max_failures = 2, .window = std::chrono::seconds(1), .lockout = std::chrono::seconds(5)});
  ASSERT_TRUE(throttle.RecordFailure("ann", "ip").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(throttle.RecordFailure("ann", "ip").ok());  // the first expired: a count of 1
  EXPECT_EQ(*throttle.LockedFor("ann", "ip"), 0);
  ASSERT_TRUE(throttle.RecordFailure("ann", "ip").ok());
  EXPECT_EQ(*throttle.LockedFor("ann", "ip"), 5);
}

TEST(RedisLoginThrottle, UnreachableRedisFailsEveryCall) {
  OwnRedisServer server;
  core::metrics::SharedStateStats stats;
  RedisClient client(TestOptions(server.url()), stats);
  ASSERT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
  RedisLoginThrottle throttle(client, UniquePrefix(), {});
  server.Stop();
  ASSERT_TRUE(Eventually([&] { return !throttle.LockedFor("a", "b").ok(); }));
  const auto failure = throttle.RecordFailure("a", "b");
  ASSERT_FALSE(failure.ok());
  EXPECT_EQ(failure.error().code(), core::ErrorCode::kUnavailable);
  EXPECT_FALSE(throttle.RecordSuccess("a", "b").ok());
}

}  // namespace
}  // namespace atrium::storage::redis
