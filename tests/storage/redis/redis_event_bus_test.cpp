#include "storage/redis/redis_event_bus.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "core/chat/chat_events.hpp"
#include "core/metrics/shared_state_stats.hpp"
#include "storage/redis/redis_client.hpp"
#include "storage/redis/redis_test_support.hpp"
#include "support/redis_test_server.hpp"

namespace atrium::storage::redis {
namespace {

using core::events::Event;
using core::events::EventPtr;
using core::events::Subscription;
using testing::OwnRedisServer;
using testing::UniquePrefix;

// One Atrium instance's view: its own client, bus and counters, on a shared server.
struct Instance {
  Instance(const std::string& url, const std::string& prefix, const std::string& id)
      : client(TestOptions(url), stats), bus(client, TestOptions(url), {.prefix = prefix, .instance_id = id}, stats) {
    EXPECT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
    EXPECT_TRUE(Eventually([&] { return bus.subscriber_connected(); }));
  }
  core::metrics::SharedStateStats stats;
  RedisClient client;
  RedisEventBus bus;
};

Event Delta(std::vector<std::string> topics, std::string text) {
  return Event{std::move(topics), core::chat::MessageDelta{"c1", "m1", std::move(text)}, 0};
}

std::string TextOf(const EventPtr& event) { return event ? event->As<core::chat::MessageDelta>()->delta : "<none>"; }

// Every event that arrives within `quiet` of the previous one.
std::vector<std::string> Drain(Subscription& sub, std::chrono::milliseconds quiet = std::chrono::milliseconds(300)) {
  std::vector<std::string> out;
  while (auto event = sub.PopFor(quiet)) out.push_back(TextOf(event));
  return out;
}

TEST(RedisEventBus, TwoInstancesDeliverEachOthersEventsOnceInOrder) {
  ATRIUM_REQUIRE_REDIS(url);
  const std::string prefix = UniquePrefix();
  Instance a(url, prefix, "a");
  Instance b(url, prefix, "b");

  // A follows both topics of the events: it must still get each once.
  auto on_a = a.bus.Subscribe({"user:u1", "conversation:c1"}, {});
  auto local_on_b = b.bus.Subscribe({"user:u1"}, {});
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(b.bus.Publish(Delta({"user:u1", "conversation:c1"}, "b" + std::to_string(i))).ok());
  }
  std::vector<std::string> expected;
  for (int i = 0; i < 50; ++i) expected.push_back("b" + std::to_string(i));
  EXPECT_EQ(Drain(*on_a), expected);        // across instances: once each, in publish order
  EXPECT_EQ(Drain(*local_on_b), expected);  // local: once each, no echo back from Redis
  EXPECT_EQ(b.stats.bus_messages_out.load(), 50u);
  EXPECT_EQ(a.stats.bus_messages_in.load(), 50u);
  EXPECT_EQ(b.stats.bus_messages_in.load(), 0u);  // its own messages are not received twice

  // And the other way round, to a subscriber of one topic only.
  auto conversation_on_b = b.bus.Subscribe({"conversation:c1"}, {});
  ASSERT_TRUE(a.bus.Publish(Delta({"user:u1", "conversation:c1"}, "from-a")).ok());
  EXPECT_EQ(Drain(*conversation_on_b), std::vector<std::string>{"from-a"});
  EXPECT_EQ(Drain(*local_on_b), std::vector<std::string>{"from-a"});
  EXPECT_EQ(Drain(*on_a), std::vector<std::string>{"from-a"});
}

TEST(RedisEventBus, UnsubscribedTopicsStopArriving) {
  ATRIUM_REQUIRE_REDIS(url);
  const std::string prefix = UniquePrefix();
  Instance a(url, prefix, "a");
  Instance b(url, prefix, "b");
  auto first = a.bus.Subscribe({"user:u2"}, {});
  auto second = a.bus.Subscribe({"user:u2"}, {});
  first.reset();  // the topic is still followed by `second`
  ASSERT_TRUE(b.bus.Publish(Delta({"user:u2"}, "one")).ok());
  EXPECT_EQ(Drain(*second), std::vector<std::string>{"one"});
  second.reset();
  auto other = a.bus.Subscribe({"user:other"}, {});
  ASSERT_TRUE(b.bus.Publish(Delta({"user:u2", "user:other"}, "two")).ok());
  EXPECT_EQ(Drain(*other), std::vector<std::string>{"two"});
  EXPECT_EQ(a.stats.bus_messages_in.load(), 2u);
}

TEST(RedisEventBus, HasSubscribersAnswersForEveryInstance) {
  ATRIUM_REQUIRE_REDIS(url);
  const std::string prefix = UniquePrefix();
  Instance a(url, prefix, "a");
  Instance b(url, prefix, "b");
  EXPECT_TRUE(b.bus.HasSubscribers("user:u3"));  // never published to: cannot tell
  ASSERT_TRUE(b.bus.Publish(Delta({"user:u3"}, "nobody")).ok());
  // The PUBLISH reply said nobody else follows it.
  ASSERT_TRUE(Eventually([&] { return !b.bus.HasSubscribers("user:u3"); }, std::chrono::milliseconds(200)));

  auto on_a = a.bus.Subscribe({"user:u3"}, {});
  EXPECT_TRUE(a.bus.HasSubscribers("user:u3"));
  // B learns of A's subscriber at its next publish, at most negative_ttl later.
  ASSERT_TRUE(Eventually([&] { return b.bus.HasSubscribers("user:u3"); }, std::chrono::milliseconds(1000)));
  ASSERT_TRUE(b.bus.Publish(Delta({"user:u3"}, "someone")).ok());
  EXPECT_EQ(Drain(*on_a), std::vector<std::string>{"someone"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(b.bus.HasSubscribers("user:u3"));
}

TEST(RedisEventBus, RejectsInvalidEventsBeforeSendingThem) {
  ATRIUM_REQUIRE_REDIS(url);
  Instance a(url, UniquePrefix(), "a");
  const auto none = a.bus.Publish(Delta({}, "x"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(none.error().safe_message(), "event has no topic");
  EXPECT_EQ(a.stats.bus_messages_out.load(), 0u);
}

TEST(RedisEventBus, DeliversLocallyWhileRedisIsDownAndRecoversAfterARestart) {
  OwnRedisServer server;
  const std::string prefix = UniquePrefix();
  Instance a(server.url(), prefix, "a");
  Instance b(server.url(), prefix, "b");
  auto on_a = a.bus.Subscribe({"user:u4"}, {});
  auto on_b = b.bus.Subscribe({"user:u4"}, {});
  ASSERT_TRUE(b.bus.Publish(Delta({"user:u4"}, "before")).ok());
  EXPECT_EQ(Drain(*on_a), std::vector<std::string>{"before"});
  EXPECT_EQ(Drain(*on_b), std::vector<std::string>{"before"});

  server.Stop();
  ASSERT_TRUE(Eventually([&] { return !b.client.connected() && !b.bus.subscriber_connected(); }));
  const auto down = b.bus.Publish(Delta({"user:u4"}, "during"));
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code(), core::ErrorCode::kUnavailable);  // delivered here only
  EXPECT_EQ(Drain(*on_b), std::vector<std::string>{"during"});
  EXPECT_TRUE(Drain(*on_a).empty());
  EXPECT_EQ(b.stats.bus_messages_unsent.load(), 1u);
  EXPECT_FALSE(b.bus.HasSubscribers("user:nobody-here"));   // nobody else can be reached
  auto made_while_down = a.bus.Subscribe({"user:u5"}, {});  // does not wait for Redis

  server.Restart();
  ASSERT_TRUE(Eventually([&] {
    return a.client.connected() && b.client.connected() && a.bus.subscriber_connected() && b.bus.subscriber_connected();
  }));
  // Both subscribers' topics were subscribed again on reconnect.
  ASSERT_TRUE(Eventually([&] {
    if (!b.bus.Publish(Delta({"user:u5"}, "probe")).ok()) return false;
    return made_while_down->PopFor(std::chrono::milliseconds(100)) != nullptr;
  }));
  ASSERT_TRUE(b.bus.Publish(Delta({"user:u4"}, "after")).ok());
  EXPECT_EQ(Drain(*on_a), std::vector<std::string>{"after"});
  EXPECT_EQ(Drain(*on_b), std::vector<std::string>{"after"});
  EXPECT_GE(a.stats.reconnects.load(), 1u);
}

TEST(RedisEventBus, SubscriptionsMayOutliveTheBus) {
  ATRIUM_REQUIRE_REDIS(url);
  core::metrics::SharedStateStats stats;
  RedisClient client(TestOptions(url), stats);
  ASSERT_TRUE(client.WaitConnected(std::chrono::seconds(5)));
  std::unique_ptr<Subscription> sub;
  {
    RedisEventBus bus(client, TestOptions(url), {.prefix = UniquePrefix(), .instance_id = "x"}, stats);
    sub = bus.Subscribe({"user:u6"}, {});
    ASSERT_TRUE(bus.Publish(Delta({"user:u6"}, "one")).ok());
  }
  EXPECT_EQ(TextOf(sub->TryPop()), "one");
  EXPECT_EQ(sub->TryPop(), nullptr);
  sub.reset();
}

}  // namespace
}  // namespace atrium::storage::redis
