#include "storage/redis/redis_turn_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/chat/running_turns.hpp"
#include "core/metrics/shared_state_stats.hpp"
#include "core/worker_pool.hpp"
#include "storage/redis/redis_event_bus.hpp"
#include "storage/redis/redis_test_support.hpp"
#include "support/redis_test_server.hpp"

namespace atrium::storage::redis {
namespace {

using testing::UniquePrefix;

TEST(RedisTurnRegistry, EntriesAreSharedAndExpire) {
  ATRIUM_REQUIRE_REDIS(url);
  const std::string prefix = UniquePrefix();
  core::metrics::SharedStateStats stats;
  RedisClient client_a(TestOptions(url), stats);
  RedisClient client_b(TestOptions(url), stats);
  ASSERT_TRUE(client_a.WaitConnected(std::chrono::seconds(5)));
  ASSERT_TRUE(client_b.WaitConnected(std::chrono::seconds(5)));
  RedisTurnRegistry a(client_a, prefix, std::chrono::seconds(60));
  RedisTurnRegistry b(client_b, prefix, std::chrono::seconds(60));

  ASSERT_TRUE(a.Add("t1", {"u1", "sock1"}).ok());
  ASSERT_TRUE(a.Add("t2", {"u1", "sock1"}).ok());
  EXPECT_TRUE(*b.IsRunning("t1", "u1"));
  EXPECT_FALSE(*b.IsRunning("t1", "u2"));  // another user's
  EXPECT_FALSE(*b.IsRunning("nope", "u1"));
  ASSERT_TRUE(b.Remove("t2").ok());
  EXPECT_FALSE(*a.IsRunning("t2", "u1"));
  EXPECT_TRUE(b.Remove("t2").ok());  // unknown ids are fine
  // Replaced by another user's turn of the same id: the new owner only.
  ASSERT_TRUE(a.Add("t1", {"u2", "sock2"}).ok());
  EXPECT_FALSE(*b.IsRunning("t1", "u1"));
  EXPECT_TRUE(*b.IsRunning("t1", "u2"));
  // Every entry carries its ttl (an instance that dies never removes its entries).
  auto ttl = client_a.Run({"TTL", prefix + "turn:t1"});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 60);
  RedisTurnRegistry brief(client_a, prefix, std::chrono::seconds(1));
  ASSERT_TRUE(brief.Add("t3", {"u1", "sock1"}).ok());
  ASSERT_TRUE(Eventually([&] { return !*b.IsRunning("t3", "u1"); }, std::chrono::seconds(5)));
}

// The whole path of a stop_generation sent to instance B for a turn running on A:
// the shared registry finds it, the shared bus carries the cancel to A.
TEST(RedisTurnRegistry, AStopOnOneInstanceCancelsTheTurnOnTheOther) {
  ATRIUM_REQUIRE_REDIS(url);
  const std::string prefix = UniquePrefix();
  struct Node {
    Node(const std::string& url, const std::string& prefix, const std::string& id)
        : client(TestOptions(url), stats),
          bus(client, TestOptions(url), {.prefix = prefix, .instance_id = id}, stats),
          registry(client, prefix),
          turns(registry, bus, pool) {
      EXPECT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
    }
    core::metrics::SharedStateStats stats;
    RedisClient client;
    RedisEventBus bus;
    RedisTurnRegistry registry;
    core::WorkerPool pool{1, 16};
    core::chat::RunningTurns turns;
  };
  Node a(url, prefix, "a");
  Node b(url, prefix, "b");
  std::atomic<int> cancelled{0};
  ASSERT_TRUE(a.turns.Track("turn-1", "u1", "sock-a", [&] { ++cancelled; }).ok());

  EXPECT_FALSE(*b.turns.Stop("turn-1", "intruder"));  // not their turn: nothing stops
  EXPECT_FALSE(*b.turns.Stop("turn-2", "u1"));
  auto stopped = b.turns.Stop("turn-1", "u1");
  ASSERT_TRUE(stopped.ok());
  EXPECT_TRUE(*stopped);
  ASSERT_TRUE(Eventually([&] { return cancelled.load() == 1; }));
  EXPECT_TRUE(*b.turns.Stop("turn-1", "u1"));  // still running until A ends it; cancels once
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(cancelled.load(), 1);
  a.turns.End("turn-1");
  EXPECT_FALSE(*b.turns.Stop("turn-1", "u1"));
  a.pool.Shutdown();
  b.pool.Shutdown();
}

}  // namespace
}  // namespace atrium::storage::redis
