#include "core/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <memory>
#include <vector>

namespace atrium::core {
namespace {

// Occupies one worker until Release(): lets a test fill the queue deterministically.
// Declare it before the pool (the worker may still be returning from it while the pool
// joins) and a ReleaseAtExit after the pool, so a failed assertion cannot hang the test.
class Blocker {
 public:
  WorkerPool::Task Task() {
    return [this] {
      started_.set_value();
      gate_.wait();
    };
  }
  void WaitStarted() { started_future_.wait(); }
  void Release() {
    if (!released_.exchange(true)) release_.set_value();
  }

 private:
  std::promise<void> started_;
  std::future<void> started_future_ = started_.get_future();
  std::promise<void> release_;
  std::shared_future<void> gate_ = release_.get_future().share();
  std::atomic<bool> released_{false};
};

struct ReleaseAtExit {
  Blocker& blocker;
  ~ReleaseAtExit() { blocker.Release(); }
};

TEST(WorkerPoolTest, RunsEveryAcceptedTask) {
  WorkerPool pool(3, 100);
  EXPECT_EQ(pool.thread_count(), 3u);
  std::atomic<int> sum{0};
  std::latch done(50);
  for (int i = 1; i <= 50; ++i) {
    ASSERT_TRUE(pool.TrySubmit([&sum, &done, i] {
      sum += i;
      done.count_down();
    }));
  }
  done.wait();
  EXPECT_EQ(sum.load(), 50 * 51 / 2);
}

TEST(WorkerPoolTest, ShutdownRunsWhatWasAcceptedThenRefusesAndIsIdempotent) {
  WorkerPool pool(2, 100);
  std::atomic<int> ran{0};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(pool.TrySubmit([&ran] { ++ran; }));
  }
  pool.Shutdown();
  EXPECT_EQ(ran.load(), 20);  // every accepted task ran before Shutdown returned
  EXPECT_FALSE(pool.TrySubmit([&ran] { ++ran; }));
  pool.Shutdown();  // a second call (and the destructor's) is harmless
  EXPECT_EQ(ran.load(), 20);
}

TEST(WorkerPoolTest, ZeroThreadsMeansOne) {
  WorkerPool pool(0, 4);
  EXPECT_EQ(pool.thread_count(), 1u);
  std::promise<void> ran;
  ASSERT_TRUE(pool.TrySubmit([&ran] { ran.set_value(); }));
  ran.get_future().wait();
}

TEST(WorkerPoolTest, RefusesWhenQueueIsFull) {
  std::atomic<int> ran{0};
  bool refused_ran = false;
  {
    Blocker blocker;  // outlives the pool, whose worker may still be returning from it
    WorkerPool pool(1, 2);
    ReleaseAtExit release{blocker};
    ASSERT_TRUE(pool.TrySubmit(blocker.Task()));
    blocker.WaitStarted();  // the only worker is busy and the queue is empty
    EXPECT_EQ(pool.queued(), 0u);

    EXPECT_TRUE(pool.TrySubmit([&ran] { ++ran; }));
    EXPECT_TRUE(pool.TrySubmit([&ran] { ++ran; }));
    EXPECT_EQ(pool.queued(), 2u);
    EXPECT_FALSE(pool.TrySubmit([&refused_ran] { refused_ran = true; }));
    EXPECT_EQ(pool.queued(), 2u);

    blocker.Release();
  }
  EXPECT_EQ(ran.load(), 2);
  EXPECT_FALSE(refused_ran);
}

TEST(WorkerPoolTest, SpaceFreesUpOnceTasksRun) {
  Blocker first;
  Blocker second;
  WorkerPool pool(1, 1);
  ReleaseAtExit release_first{first};
  ReleaseAtExit release_second{second};
  ASSERT_TRUE(pool.TrySubmit(first.Task()));
  first.WaitStarted();
  ASSERT_TRUE(pool.TrySubmit(second.Task()));
  EXPECT_FALSE(pool.TrySubmit([] {}));
  first.Release();
  second.WaitStarted();  // the queued task was taken: the queue has room again
  EXPECT_EQ(pool.queued(), 0u);
  EXPECT_TRUE(pool.TrySubmit([] {}));
  second.Release();
}

TEST(WorkerPoolTest, DestructionDrainsQueuedTasks) {
  std::vector<int> order;
  {
    Blocker blocker;
    WorkerPool pool(1, 100);
    ReleaseAtExit release{blocker};
    ASSERT_TRUE(pool.TrySubmit(blocker.Task()));
    blocker.WaitStarted();
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(pool.TrySubmit([&order, i] { order.push_back(i); }));  // one worker: no race on `order`
    }
    EXPECT_EQ(pool.queued(), 10u);
    blocker.Release();
  }  // ~WorkerPool runs the ten queued tasks before joining
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(WorkerPoolTest, ManySubmittersAtOnce) {
  std::atomic<int> ran{0};
  std::atomic<int> accepted{0};
  {
    WorkerPool pool(2, 100000);
    std::vector<std::thread> submitters;
    for (int t = 0; t < 4; ++t) {
      submitters.emplace_back([&] {
        for (int i = 0; i < 500; ++i) {
          if (pool.TrySubmit([&ran] { ++ran; })) ++accepted;
        }
      });
    }
    for (auto& s : submitters) s.join();
  }
  EXPECT_EQ(accepted.load(), 2000);
  EXPECT_EQ(ran.load(), 2000);
}

}  // namespace
}  // namespace atrium::core
