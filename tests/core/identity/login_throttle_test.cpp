#include "core/identity/in_memory_login_throttle.hpp"

#include <gtest/gtest.h>

#include "support/fakes.hpp"

namespace atrium::core::identity {
namespace {

using namespace std::chrono_literals;

class LoginThrottleTest : public ::testing::Test {
 protected:
  void Fail(InMemoryLoginThrottle& throttle, int times, const std::string& account = "a@example.com",
            const std::string& address = "10.0.0.1") {
    for (int i = 0; i < times; ++i) ASSERT_TRUE(throttle.RecordFailure(account, address).ok());
  }

  testing::FakeClock clock_;
  InMemoryLoginThrottle throttle_{clock_, ThrottleOptions{}};
};

TEST_F(LoginThrottleTest, UnknownPairIsNotLocked) { EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 0); }

TEST_F(LoginThrottleTest, FifthFailureLocksForFifteenMinutes) {
  Fail(throttle_, 4);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 0);
  Fail(throttle_, 1);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 900);
  clock_.Advance(100s);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 800);
  clock_.Advance(500ms);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 800);  // 799.5 s, rounded up
  clock_.Advance(799s);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 1);  // 0.5 s left
  clock_.Advance(500ms);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 0);
}

TEST_F(LoginThrottleTest, LockIsPerAccountAndAddress) {
  Fail(throttle_, 5, "a@example.com", "10.0.0.1");
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 900);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.2"), 0);
  EXPECT_EQ(*throttle_.LockedFor("b@example.com", "10.0.0.1"), 0);
  // Failures from different addresses are counted apart.
  Fail(throttle_, 4, "b@example.com", "10.0.0.1");
  Fail(throttle_, 4, "b@example.com", "10.0.0.2");
  EXPECT_EQ(*throttle_.LockedFor("b@example.com", "10.0.0.1"), 0);
  EXPECT_EQ(*throttle_.LockedFor("b@example.com", "10.0.0.2"), 0);
}

TEST_F(LoginThrottleTest, SuccessForgetsEarlierFailures) {
  Fail(throttle_, 4);
  ASSERT_TRUE(throttle_.RecordSuccess("a@example.com", "10.0.0.1").ok());
  Fail(throttle_, 4);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 0);
  Fail(throttle_, 1);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 900);
}

TEST_F(LoginThrottleTest, FailuresOlderThanTheWindowAreForgotten) {
  Fail(throttle_, 4);
  clock_.Advance(15min);  // exactly the window: still counted
  Fail(throttle_, 1);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 900);

  ASSERT_TRUE(throttle_.RecordSuccess("a@example.com", "10.0.0.1").ok());
  Fail(throttle_, 4);
  clock_.Advance(15min + 1s);  // past the window: the count starts over
  Fail(throttle_, 4);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 0);
  Fail(throttle_, 1);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 900);
}

TEST_F(LoginThrottleTest, AfterALockExpiresItTakesFiveNewFailures) {
  Fail(throttle_, 5);
  clock_.Advance(15min);
  ASSERT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 0);
  Fail(throttle_, 4);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 0);
  Fail(throttle_, 1);
  EXPECT_EQ(*throttle_.LockedFor("a@example.com", "10.0.0.1"), 900);
}

TEST_F(LoginThrottleTest, CustomOptions) {
  InMemoryLoginThrottle throttle(clock_, ThrottleOptions{.max_failures = 2, .window = 60s, .lockout = 30s});
  Fail(throttle, 1);
  EXPECT_EQ(*throttle.LockedFor("a@example.com", "10.0.0.1"), 0);
  Fail(throttle, 1);
  EXPECT_EQ(*throttle.LockedFor("a@example.com", "10.0.0.1"), 30);
  clock_.Advance(30s);
  EXPECT_EQ(*throttle.LockedFor("a@example.com", "10.0.0.1"), 0);
}

TEST_F(LoginThrottleTest, MemoryIsBoundedAndFailsOpenWhenFull) {
  InMemoryLoginThrottle throttle(clock_, ThrottleOptions{.max_entries = 2});
  Fail(throttle, 1, "a", "ip");
  Fail(throttle, 1, "b", "ip");
  // Full of live entries: a third pair is not tracked, so it never locks.
  Fail(throttle, 5, "c", "ip");
  EXPECT_EQ(*throttle.LockedFor("c", "ip"), 0);
  // The tracked pairs still count.
  Fail(throttle, 4, "a", "ip");
  EXPECT_EQ(*throttle.LockedFor("a", "ip"), 900);
  // Entries whose failures left the window and whose lock has ended make room.
  clock_.Advance(15min + 1s);
  Fail(throttle, 5, "c", "ip");
  EXPECT_EQ(*throttle.LockedFor("c", "ip"), 900);
}

TEST_F(LoginThrottleTest, LockedEntriesAreNotPrunedBeforeTheLockEnds) {
  InMemoryLoginThrottle throttle(clock_, ThrottleOptions{.window = 60s, .lockout = 900s, .max_entries = 1});
  Fail(throttle, 5, "a", "ip");
  ASSERT_EQ(*throttle.LockedFor("a", "ip"), 900);
  clock_.Advance(120s);  // past the window, but still locked
  Fail(throttle, 5, "b", "ip");
  EXPECT_EQ(*throttle.LockedFor("b", "ip"), 0);    // no room
  EXPECT_EQ(*throttle.LockedFor("a", "ip"), 780);  // kept
}

}  // namespace
}  // namespace atrium::core::identity
