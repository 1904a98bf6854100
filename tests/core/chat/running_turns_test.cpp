// The running-turn registry and stop-by-id through the bus: InMemoryTurnRegistry,
// TurnCancelRequested's encoding, and RunningTurns with a failing registry (closed).

#include "core/chat/running_turns.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/chat/in_memory_turn_registry.hpp"
#include "core/chat/turn_cancel.hpp"
#include "core/events/in_process_event_bus.hpp"

namespace atrium::core::chat {
namespace {

using namespace std::chrono_literals;

TEST(InMemoryTurnRegistryTest, FindsARunningTurnOnlyForItsUser) {
  InMemoryTurnRegistry registry;
  ASSERT_TRUE(registry.Add("t1", {"ann", "socket-1"}).ok());
  EXPECT_TRUE(*registry.IsRunning("t1", "ann"));
  EXPECT_FALSE(*registry.IsRunning("t1", "bob"));
  EXPECT_FALSE(*registry.IsRunning("t2", "ann"));
  ASSERT_TRUE(registry.Remove("t1").ok());
  EXPECT_FALSE(*registry.IsRunning("t1", "ann"));
  EXPECT_TRUE(registry.Remove("t1").ok());  // unknown ids are fine
}

TEST(InMemoryTurnRegistryTest, ItsMemoryBoundRefusesNewTurnsOnly) {
  InMemoryTurnRegistry registry(2);
  ASSERT_TRUE(registry.Add("a", {"ann", "s"}).ok());
  ASSERT_TRUE(registry.Add("b", {"ann", "s"}).ok());
  auto refused = registry.Add("c", {"ann", "s"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_TRUE(registry.Add("a", {"bob", "s"}).ok());  // replacing needs no room
  EXPECT_TRUE(*registry.IsRunning("a", "bob"));
}

TEST(TurnCancelTest, RoundTripsThroughItsEvent) {
  const TurnCancelRequested cancel{"chat:m1", "ann"};
  const events::Event event = EncodeTurnCancel(cancel);
  EXPECT_EQ(event.topics, std::vector<std::string>{"turn:chat:m1"});
  EXPECT_EQ(events::EventTypeName(event.payload), "chat.turn_cancel_requested");
  EXPECT_EQ(DecodeTurnCancel(event), cancel);
}

TEST(TurnCancelTest, RefusesOtherTypes) {
  const events::Event other{{TurnTopic("t")}, chat::ConversationTitle{"c1", "t"}, 0};
  EXPECT_EQ(DecodeTurnCancel(other), std::nullopt);
}

// Counts cancels, which arrive on a pool thread.
class Cancels {
 public:
  std::function<void()> Callback() {
    return [this] {
      std::lock_guard lock(mu_);
      ++count_;
      cv_.notify_all();
    };
  }
  // Waits up to a second for `n` cancels in all.
  bool WaitFor(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 1s, [&] { return count_ >= n; });
  }
  int count() {
    std::lock_guard lock(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

class RunningTurnsTest : public ::testing::Test {
 protected:
  // Lets queued cancels run before counting what did not happen.
  void Settle() { std::this_thread::sleep_for(50ms); }

  events::InProcessEventBus bus_;
  WorkerPool pool_{1, 16};
  InMemoryTurnRegistry registry_;
  RunningTurns turns_{registry_, bus_, pool_};
  Cancels cancels_;
};

TEST_F(RunningTurnsTest, AStopReachesATurnRunningElsewhereThroughTheBus) {
  // Another instance (same registry and bus, its own RunningTurns) stops ann's turn:
  // the registry finds it, the stop travels as an event on the turn's topic.
  RunningTurns elsewhere(registry_, bus_, pool_);
  auto watcher = bus_.Subscribe({TurnTopic("chat:m1")}, {});
  ASSERT_TRUE(turns_.Track("chat:m1", "ann", "socket-1", cancels_.Callback()).ok());
  auto stopped = elsewhere.Stop("chat:m1", "ann");
  ASSERT_TRUE(stopped.ok());
  EXPECT_TRUE(*stopped);
  EXPECT_TRUE(cancels_.WaitFor(1));
  auto heard = watcher->PopFor(1s);
  ASSERT_NE(heard, nullptr);
  EXPECT_EQ(DecodeTurnCancel(*heard), (TurnCancelRequested{"chat:m1", "ann"}));
}

TEST_F(RunningTurnsTest, AStopOfATurnRunningHereNeedsNoBus) {
  auto watcher = bus_.Subscribe({TurnTopic("chat:m1")}, {});
  ASSERT_TRUE(turns_.Track("chat:m1", "ann", "socket-1", cancels_.Callback()).ok());
  EXPECT_TRUE(*turns_.Stop("chat:m1", "ann"));
  EXPECT_TRUE(cancels_.WaitFor(1));
  EXPECT_EQ(watcher->TryPop(), nullptr);  // nothing was published
}

TEST_F(RunningTurnsTest, ACancelEventFromElsewhereCancelsTheTurnOnce) {
  ASSERT_TRUE(turns_.Track("chat:m1", "ann", "socket-1", cancels_.Callback()).ok());
  ASSERT_TRUE(bus_.Publish(EncodeTurnCancel({"chat:m1", "ann"})).ok());
  ASSERT_TRUE(cancels_.WaitFor(1));
  ASSERT_TRUE(bus_.Publish(EncodeTurnCancel({"chat:m1", "ann"})).ok());
  Settle();
  EXPECT_EQ(cancels_.count(), 1);
}

TEST_F(RunningTurnsTest, AnotherUsersStopFindsNothingAndCancelsNothing) {
  ASSERT_TRUE(turns_.Track("chat:m1", "ann", "socket-1", cancels_.Callback()).ok());
  EXPECT_FALSE(*turns_.Stop("chat:m1", "bob"));
  ASSERT_TRUE(bus_.Publish(EncodeTurnCancel({"chat:m1", "bob"})).ok());  // forged on the bus
  Settle();
  EXPECT_EQ(cancels_.count(), 0);
}

TEST_F(RunningTurnsTest, AnEndedTurnCannotBeStopped) {
  ASSERT_TRUE(turns_.Track("chat:m1", "ann", "socket-1", cancels_.Callback()).ok());
  turns_.End("chat:m1");
  EXPECT_FALSE(*turns_.Stop("chat:m1", "ann"));
  ASSERT_TRUE(bus_.Publish(EncodeTurnCancel({"chat:m1", "ann"})).ok());
  Settle();
  EXPECT_EQ(cancels_.count(), 0);
  EXPECT_EQ(registry_.size(), 0u);
  EXPECT_EQ(bus_.subscriber_count(TurnTopic("chat:m1")), 0u);
  turns_.End("chat:m1");  // twice is fine
}

TEST_F(RunningTurnsTest, StopStartedByStopsThatOriginsTurnsOnly) {
  Cancels other;
  ASSERT_TRUE(turns_.Track("a", "ann", "s1", cancels_.Callback()).ok());
  ASSERT_TRUE(turns_.Track("b", "ann", "s1", cancels_.Callback()).ok());
  ASSERT_TRUE(turns_.Track("c", "ann", "s2", other.Callback()).ok());
  turns_.StopStartedBy("s1", "ann");
  EXPECT_TRUE(cancels_.WaitFor(2));
  Settle();
  EXPECT_EQ(other.count(), 0);
  EXPECT_TRUE(*turns_.Stop("c", "ann"));
  EXPECT_TRUE(other.WaitFor(1));
}

// A registry whose store is unreachable: every call fails.
class UnreachableRegistry final : public TurnRegistry {
 public:
  Result<void> Add(const std::string&, RunningTurn) override { return Down(); }
  Result<bool> IsRunning(const std::string&, const std::string&) override { return Down(); }
  Result<void> Remove(const std::string&) override { return Down(); }

 private:
  static Error Down() { return Error(ErrorCode::kUnavailable, "registry unavailable", "store down"); }
};

TEST_F(RunningTurnsTest, AnUnreachableRegistryFailsClosedForTurnsRunningElsewhere) {
  static_assert(TurnRegistry::kOnFailure == FailMode::kClosed);
  UnreachableRegistry down;
  RunningTurns turns(down, bus_, pool_);
  // A turn that is not running here needs the registry: its stop fails, stopping nothing.
  auto stopped = turns.Stop("chat:elsewhere", "ann");
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code(), ErrorCode::kUnavailable);
  Settle();
  EXPECT_EQ(cancels_.count(), 0);  // nothing was stopped
}

TEST_F(RunningTurnsTest, ATurnRunningHereStopsWhileTheRegistryIsUnreachable) {
  UnreachableRegistry down;
  RunningTurns turns(down, bus_, pool_);
  // Not registered (the store is down), but followed here: a stop from this instance
  // reaches it without the registry or the bus, and only for its own user.
  EXPECT_FALSE(turns.Track("chat:m1", "ann", "s1", cancels_.Callback()).ok());
  EXPECT_FALSE(*turns.Stop("chat:m1", "bob"));
  Settle();
  EXPECT_EQ(cancels_.count(), 0);
  auto stopped = turns.Stop("chat:m1", "ann");
  ASSERT_TRUE(stopped.ok());
  EXPECT_TRUE(*stopped);
  EXPECT_TRUE(cancels_.WaitFor(1));
  EXPECT_TRUE(*turns.Stop("chat:m1", "ann"));  // again: still running, cancelled once
  turns.StopStartedBy("s1", "ann");            // its socket's session ends: still once
  Settle();
  EXPECT_EQ(cancels_.count(), 1);
  turns.End("chat:m1");
  ASSERT_FALSE(turns.Stop("chat:m1", "ann").ok());  // ended here: the registry decides
}

}  // namespace
}  // namespace atrium::core::chat
