#pragma once
// Group commit for the SQLite writer: write transactions from concurrent callers share
// one `BEGIN IMMEDIATE ... COMMIT`, hence one fsync, while each keeps its own outcome.
//
// Leader/follower: a caller enqueues its body and waits. Whichever caller finds no
// leader becomes the leader: it takes up to `max_batch` queued bodies (FIFO), opens one
// transaction, runs each body inside its own SAVEPOINT (released when the body returns
// ok, rolled back to when it returns an error or throws, so a failing body leaves
// nothing behind and does not affect the others), commits once and hands every caller
// its own result. A lone writer never waits for company: it leads a batch of one at
// once. While a batch commits, the next callers queue up and form the next batch.
//
// Durability is unchanged: a caller returns only after the COMMIT that holds its body
// has returned (with synchronous=FULL, after the WAL fsync). If that COMMIT fails,
// every body of the batch gets the COMMIT's error and none of it is stored.
//
// Contract for bodies: a body runs on the leader's thread (some other caller's), not its
// caller's, while its caller blocks; it must not depend on its thread (thread-locals,
// thread ids) and must not call back into the database's write path (Transact/Execute:
// it would wait for itself). A body sees the uncommitted writes of the bodies before it
// in the same batch, as it would had they committed just before it. An exception a
// body throws is rolled back to its savepoint and rethrown on its caller's thread.
//
// Thread-safety: Run may be called from any number of threads at once. The destructor
// waits for calls in flight; calls that start once it has begun are refused.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>

#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace atrium::storage::sqlite {

struct GroupCommitStats {
  std::int64_t transactions = 0;  // bodies run (each a Transact or Execute call)
  std::int64_t commits = 0;       // successful COMMITs, i.e. fsyncs of the WAL
  std::int64_t waiting = 0;       // callers queued now, not yet taken by a leader
};

class GroupCommitter {
 public:
  using Body = std::function<core::Result<void>(Executor&)>;

  // `writer` and `write_mu` must outlive this object; `write_mu` is held while a batch
  // runs, so other users of `writer` (":memory:" reads) stay serialised with it.
  GroupCommitter(SqliteConnection& writer, std::mutex& write_mu, std::size_t max_batch);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Runs `body` in a (shared) write transaction. Ok: the body's writes are committed
  // durably. Error: the body's own error, unchanged, and nothing of it is stored; or
  // the error of the batch's BEGIN/COMMIT, and nothing of the batch is stored.
  core::Result<void> Run(const Body& body);

  GroupCommitStats stats() const;

 private:
  struct Request;
  enum class BodyOutcome;
  struct BatchOutcome {
    std::size_t settled;  // a prefix of the batch; the rest go back to the queue
    bool committed;
  };

  // Runs one batch on the writer (holding write_mu_) and settles a prefix of it: all of
  // it, unless SQLite dropped the transaction part-way. Bodies' exceptions are caught;
  // anything else thrown here (out of memory) would leave the queue leaderless.
  BatchOutcome RunBatch(std::span<Request* const> batch) noexcept;
  // Runs one body inside the open transaction; its outcome (exceptions included) is
  // recorded in `request`.
  BodyOutcome RunInSavepoint(Request& request);

  SqliteConnection& writer_;
  std::mutex& write_mu_;
  const std::size_t max_batch_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Request*> queue_;  // waiting, not yet taken by a leader
  bool leading_ = false;        // a leader is running a batch
  bool closing_ = false;        // the destructor has begun
  int in_flight_ = 0;           // callers inside Run
  GroupCommitStats stats_;
};

}  // namespace atrium::storage::sqlite
