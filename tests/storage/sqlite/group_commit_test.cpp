// Group commit on the SQLite driver. Batches are forced structurally, never by timing:
// a first body holds the writer until the other callers are seen queued behind it
// (write_stats().waiting), so they must all share the next COMMIT.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_database.hpp"
#include "support/temp_dir.hpp"

namespace atrium::storage::sqlite {
namespace {

using core::ErrorCode;

std::int64_t Count(Database& db, const std::string& sql) {
  auto rows = db.Query(sql);
  EXPECT_TRUE(rows.ok()) << rows.error().internal_message();
  if (!rows.ok() || rows->empty()) return -1;
  return AsInt(rows->rows[0][0]).value_or(-1);
}

core::Result<void> Insert(Executor& tx, std::int64_t v) {
  if (auto r = tx.Execute("INSERT INTO t VALUES (?)", {Value{v}}); !r) return r.error();
  return core::Ok{};
}

// Runs `first` (a write) and, once it is running, `followers.size()` more writes from as
// many threads; `first` returns only when all of them are queued behind it. Returns each
// follower's result in order.
std::vector<core::Result<void>> RunBehindSlowFirst(
    SqliteDatabase& db, std::vector<std::function<core::Result<void>(Executor&)>> followers) {
  std::mutex mu;
  std::condition_variable cv;
  bool first_running = false;
  const auto n = static_cast<std::int64_t>(followers.size());
  std::thread first([&] {
    auto done = db.Transact([&](Executor& tx) -> core::Result<void> {
      {
        std::lock_guard lock(mu);
        first_running = true;
      }
      cv.notify_all();
      while (db.write_stats().waiting < n) std::this_thread::yield();
      return Insert(tx, -1);
    });
    EXPECT_TRUE(done.ok()) << done.error().internal_message();
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return first_running; });
  }
  std::vector<core::Result<void>> results(followers.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < followers.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        results[i] = db.Transact(followers[i]);
      } catch (const std::runtime_error& e) {
        results[i] = core::Error(ErrorCode::kInternal, "threw", e.what());
      }
    });
  }
  first.join();
  for (auto& t : threads) t.join();
  return results;
}

class GroupCommitTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteDatabase> Open(bool group_commit = true, std::size_t max_batch = 64) {
    auto db = SqliteDatabase::Open(
        {.path = dir_.File("test.db"), .readers = 2, .group_commit = group_commit, .max_batch = max_batch});
    EXPECT_TRUE(db.ok()) << db.error().internal_message();
    if (!db.ok()) return nullptr;
    EXPECT_TRUE((*db)->Execute("CREATE TABLE t (v INTEGER)").ok());
    return std::move(db).value();
  }

  testing::TempDir dir_;
};

TEST_F(GroupCommitTest, ManyThreadsWritingAtOnceAllCommitAndAreReadable) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 16;
  constexpr int kWritesEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        const std::int64_t v = t * 1000 + i;
        const bool ok = i % 2 == 0 ? db->Execute("INSERT INTO t VALUES (?)", {Value{v}}).ok()
                                   : db->Transact([v](Executor& tx) { return Insert(tx, v); }).ok();
        if (!ok) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM t"), kThreads * kWritesEach);
  EXPECT_EQ(Count(*db, "SELECT COUNT(DISTINCT v) FROM t"), kThreads * kWritesEach);
  const auto stats = db->write_stats();
  EXPECT_EQ(stats.transactions, 1 + kThreads * kWritesEach);  // with the CREATE TABLE
  EXPECT_LE(stats.commits, stats.transactions);
  EXPECT_EQ(stats.waiting, 0);
}

TEST_F(GroupCommitTest, WritersQueuedBehindASlowOneShareOneCommit) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  constexpr int kFollowers = 12;
  const auto before = db->write_stats();
  std::vector<std::function<core::Result<void>(Executor&)>> followers;
  for (std::int64_t i = 0; i < kFollowers; ++i) {
    followers.emplace_back([i](Executor& tx) { return Insert(tx, i); });
  }
  for (const auto& r : RunBehindSlowFirst(*db, followers)) EXPECT_TRUE(r.ok()) << r.error().internal_message();
  const auto after = db->write_stats();
  EXPECT_EQ(after.transactions - before.transactions, 1 + kFollowers);
  EXPECT_EQ(after.commits - before.commits, 2);  // the slow one, then all the followers at once
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM t"), 1 + kFollowers);
}

TEST_F(GroupCommitTest, BatchesAreBounded) {
  auto db = Open(/*group_commit=*/true, /*max_batch=*/4);
  ASSERT_NE(db, nullptr);
  const auto before = db->write_stats();
  std::vector<std::function<core::Result<void>(Executor&)>> followers;
  for (std::int64_t i = 0; i < 10; ++i) followers.emplace_back([i](Executor& tx) { return Insert(tx, i); });
  for (const auto& r : RunBehindSlowFirst(*db, followers)) EXPECT_TRUE(r.ok()) << r.error().internal_message();
  const auto after = db->write_stats();
  EXPECT_EQ(after.transactions - before.transactions, 11);
  EXPECT_EQ(after.commits - before.commits, 1 + 3);  // 10 followers in batches of at most 4
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM t"), 11);
}

TEST_F(GroupCommitTest, AFailingBodyLeavesNothingAndTheOthersCommit) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  std::vector<std::function<core::Result<void>(Executor&)>> followers;
  followers.emplace_back([](Executor& tx) { return Insert(tx, 1); });
  followers.emplace_back([](Executor& tx) -> core::Result<void> {
    if (auto r = Insert(tx, 100); !r) return r;
    if (auto r = tx.Execute("DELETE FROM t"); !r) return r.error();  // would wipe the batch's rows
    return core::Error(ErrorCode::kNotFound, "no such thing", "body gave up");
  });
  followers.emplace_back([](Executor& tx) -> core::Result<void> {
    if (auto r = Insert(tx, 200); !r) return r;
    throw std::runtime_error("boom");
  });
  followers.emplace_back([](Executor& tx) -> core::Result<void> {
    if (auto r = Insert(tx, 300); !r) return r;
    return tx.Execute("INSERT INTO t VALUES (1, 2)").error();  // a statement error, returned as is
  });
  followers.emplace_back([](Executor& tx) { return Insert(tx, 2); });
  const auto before = db->write_stats();
  const auto results = RunBehindSlowFirst(*db, followers);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(results[1].error().safe_message(), "no such thing");
  EXPECT_EQ(results[1].error().internal_message(), "body gave up");
  ASSERT_FALSE(results[2].ok());  // the exception reached its own caller's thread
  EXPECT_EQ(results[2].error().safe_message(), "threw");
  EXPECT_EQ(results[2].error().internal_message(), "boom");
  ASSERT_FALSE(results[3].ok());
  EXPECT_EQ(results[3].error().code(), ErrorCode::kInternal);
  EXPECT_EQ(results[3].error().safe_message(), "database error");
  EXPECT_EQ(results[3].error().internal_message(), "prepare: table t has 1 columns but 2 values were supplied");
  EXPECT_TRUE(results[4].ok());
  EXPECT_EQ(db->write_stats().commits - before.commits, 2);
  auto rows = db->Query("SELECT v FROM t ORDER BY v");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->rows[0][0], Value{std::int64_t{-1}});
  EXPECT_EQ(rows->rows[1][0], Value{std::int64_t{1}});
  EXPECT_EQ(rows->rows[2][0], Value{std::int64_t{2}});
}

TEST_F(GroupCommitTest, AFailedCommitFailsTheWholeBatchAndStoresNothing) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  // A deferred foreign key is checked at COMMIT only, so one orphan fails the batch's COMMIT.
  ASSERT_TRUE(db->Execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)").ok());
  ASSERT_TRUE(db->Execute("CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)").ok());
  std::vector<std::function<core::Result<void>(Executor&)>> followers;
  followers.emplace_back([](Executor& tx) { return Insert(tx, 1); });
  followers.emplace_back([](Executor& tx) -> core::Result<void> {
    if (auto r = tx.Execute("INSERT INTO child VALUES (7)"); !r) return r.error();
    return core::Ok{};
  });
  followers.emplace_back(
      [](Executor&) -> core::Result<void> { return core::Error(ErrorCode::kNotFound, "no such thing", "own error"); });
  const auto results = RunBehindSlowFirst(*db, followers);
  for (std::size_t i : {0u, 1u}) {
    ASSERT_FALSE(results[i].ok());
    // A foreign key checked at COMMIT is no UNIQUE clash: an internal error (see sqlite_connection).
    EXPECT_EQ(results[i].error().code(), ErrorCode::kInternal);
    EXPECT_EQ(results[i].error().internal_message(), "exec: FOREIGN KEY constraint failed");
  }
  ASSERT_FALSE(results[2].ok());  // a body that failed on its own keeps its own error
  EXPECT_EQ(results[2].error().internal_message(), "own error");
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM t"), 1);  // the slow first one only
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM child"), 0);
  ASSERT_TRUE(db->Transact([](Executor& tx) { return Insert(tx, 5); }).ok());  // the writer is usable again
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM t"), 2);
}

TEST_F(GroupCommitTest, ALoneWriteCommitsAtOnce) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  for (std::int64_t i = 0; i < 5; ++i) {
    const auto before = db->write_stats();
    ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (?)", {Value{i}}).ok());
    const auto after = db->write_stats();
    EXPECT_EQ(after.commits - before.commits, 1);
    EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM t"), i + 1);  // visible to a reader on return
  }
}

TEST_F(GroupCommitTest, TurnedOffEveryWriteIsItsOwnCommit) {
  auto db = Open(/*group_commit=*/false);
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::int64_t i = 0; i < 10; ++i) EXPECT_TRUE(db->Transact([&](Executor& tx) { return Insert(tx, t); }).ok());
    });
  }
  for (auto& t : threads) t.join();
  const auto stats = db->write_stats();
  EXPECT_EQ(stats.transactions, 1 + kThreads * 10);
  EXPECT_EQ(stats.commits, stats.transactions);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM t"), kThreads * 10);
}

TEST_F(GroupCommitTest, DestructionWaitsForWritesInFlight) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  SqliteDatabase& ref = *db;
  std::atomic<bool> running{false};
  std::atomic<bool> release{false};
  constexpr int kFollowers = 6;
  std::vector<core::Result<void>> results(1 + kFollowers);
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    results[0] = ref.Transact([&](Executor& tx) {
      running = true;
      while (!release.load()) std::this_thread::yield();
      return Insert(tx, -1);
    });
  });
  while (!running.load()) std::this_thread::yield();
  for (int i = 1; i <= kFollowers; ++i) {
    threads.emplace_back(
        [&, i] { results[static_cast<std::size_t>(i)] = ref.Transact([i](Executor& tx) { return Insert(tx, i); }); });
  }
  // The slow body is being led (it is not queued) and the followers are queued behind it.
  while (ref.write_stats().waiting < kFollowers) std::this_thread::yield();
  release = true;
  db.reset();  // waits for the slow body and the batch behind it
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << r.error().internal_message();
  auto reopened = SqliteDatabase::Open({.path = dir_.File("test.db"), .readers = 1});
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Count(**reopened, "SELECT COUNT(*) FROM t"), 1 + kFollowers);
}

}  // namespace
}  // namespace atrium::storage::sqlite
