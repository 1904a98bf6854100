#include "core/speech/speech_slots.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace atrium::core::speech {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(SpeechSlotsTest, BusyBeyondTheQueueAndTimeoutPastTheDeadline) {
  SpeechSlots slots(1, 1);
  auto first = slots.Acquire(Clock::now() + 1s);
  ASSERT_TRUE(first.ok());
  std::atomic<bool> waited{false};
  std::thread waiter([&] {
    auto r = slots.Acquire(Clock::now() + 50ms);  // the only place in line; times out
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error().reason(), Reason::kSpeechTimeout);
    waited = true;
  });
  while (slots.waiting() == 0 && !waited) std::this_thread::yield();
  auto refused = slots.Acquire(Clock::now() + 1s);  // the line is full
  if (!waited) {
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().reason(), Reason::kSpeechBusy);
    EXPECT_EQ(refused.error().code(), ErrorCode::kResourceExhausted);
  }
  waiter.join();
  EXPECT_EQ(slots.waiting(), 0u);
}

TEST(SpeechSlotsTest, AFreedSlotGoesToTheOldestWaiter) {
  SpeechSlots slots(1, 4);
  std::optional<SpeechSlots::Slot> held;
  {
    auto r = slots.Acquire(Clock::now() + 1s);
    ASSERT_TRUE(r.ok());
    held.emplace(std::move(r).value());
  }
  std::vector<int> order;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      auto r = slots.Acquire(Clock::now() + 5s);
      ASSERT_TRUE(r.ok());
      std::lock_guard lock(mu);
      order.push_back(i);
    });
    while (slots.waiting() < static_cast<std::size_t>(i + 1)) std::this_thread::yield();
  }
  held.reset();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(slots.active(), 0u);
}

}  // namespace
}  // namespace atrium::core::speech
