#include "storage/redis/redis_client.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/metrics/shared_state_stats.hpp"
#include "storage/redis/redis_test_support.hpp"
#include "support/redis_test_server.hpp"

namespace atrium::storage::redis {
namespace {

using testing::OwnRedisServer;
using testing::UniquePrefix;

TEST(RedisClient, RunsCommandsAndPipelinesConcurrentCallers) {
  ATRIUM_REQUIRE_REDIS(url);
  core::metrics::SharedStateStats stats;
  RedisClient client(TestOptions(url), stats);
  ASSERT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
  const std::string key = UniquePrefix() + "counter";
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) ASSERT_TRUE(client.Run({"INCR", key}).ok());
    });
  }
  for (auto& t : threads) t.join();
  auto value = client.Run({"GET", key});
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->kind, RedisValue::Kind::kString);
  EXPECT_EQ(value->text, "200");
  auto error = client.Run({"NOSUCHCOMMAND"});
  ASSERT_TRUE(error.ok());  // a Redis error is a reply, not a failure
  EXPECT_TRUE(error->is_error());
  (void)client.Run({"DEL", key});
  auto ping = client.Ping();
  ASSERT_TRUE(ping.ok());
  EXPECT_GT(ping->count(), 0);
}

TEST(RedisClient, EvalLoadsTheScriptWhenTheServerForgotIt) {
  ATRIUM_REQUIRE_REDIS(url);
  core::metrics::SharedStateStats stats;
  RedisClient client(TestOptions(url), stats);
  ASSERT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
  const RedisScript script("return tonumber(ARGV[1]) + #KEYS");
  auto first = client.Eval(script, {"a", "b"}, {"40"});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->integer, 42);
  auto known = client.Run({"SCRIPT", "EXISTS", script.sha1()});
  ASSERT_TRUE(known.ok());
  ASSERT_EQ(known->elements.size(), 1u);
  EXPECT_EQ(known->elements[0].integer, 1);  // EVAL cached it under the sha we computed
  auto again = client.Eval(script, {}, {"1"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->integer, 1);
}

TEST(RedisClient, FailsFastWhileDownAndReconnectsAfterARestart) {
  OwnRedisServer server;
  core::metrics::SharedStateStats stats;
  RedisClient client(TestOptions(server.url()), stats);
  ASSERT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
  ASSERT_TRUE(client.Run({"SET", "k", "v"}).ok());

  server.Stop();
  ASSERT_TRUE(Eventually([&] { return !client.Run({"PING"}).ok(); }));
  const auto start = std::chrono::steady_clock::now();
  const auto down = client.Run({"GET", "k"});
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code(), core::ErrorCode::kUnavailable);
  EXPECT_EQ(down.error().safe_message(), "Redis is unreachable");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(400));  // no wait for the timeout

  server.Restart();
  ASSERT_TRUE(Eventually([&] { return client.Run({"PING"}).ok(); }));
  EXPECT_GE(stats.reconnects.load(), 1u);
}

}  // namespace
}  // namespace atrium::storage::redis
