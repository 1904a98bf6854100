#pragma once
// The SQLite driver: one writer connection (SQLite allows one writer at a time anyway)
// and a small pool of reader connections, which WAL lets run beside the writer.
//
// Writes (Transact and Execute) are group-committed by default: concurrent callers'
// bodies share one transaction and one fsync, each keeping its own outcome, and none
// returns before the COMMIT holding it is durable; see group_commit.hpp for the details
// and for what that asks of a body (it runs on another caller's thread). With
// `group_commit = false` each write is its own transaction with its own fsync.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/sqlite/group_commit.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace atrium::storage::sqlite {

struct SqliteOptions {
  std::string path;  // a file path; ":memory:" gives one shared in-memory connection
  int readers = 2;
  bool group_commit = true;    // false: one transaction (and one fsync) per write
  std::size_t max_batch = 64;  // bodies sharing one COMMIT, at most
};

class SqliteDatabase final : public Database {
 public:
  static core::Result<std::unique_ptr<SqliteDatabase>> Open(const SqliteOptions& options);

  core::Result<Rows> Query(std::string_view sql, const Params& params = {}) override;
  core::Result<std::int64_t> Execute(std::string_view sql, const Params& params = {}) override;
  core::Result<void> Transact(const std::function<core::Result<void>(Executor&)>& body) override;
  core::Result<void> ExecuteScript(Executor& tx, std::string_view script) override;
  core::Result<void> Ping() override;
  std::string_view driver() const override { return "sqlite"; }

  // Write bodies run and COMMITs that succeeded, since Open (for tests and benchmarks).
  GroupCommitStats write_stats() const;

 private:
  SqliteDatabase() = default;
  std::unique_ptr<SqliteConnection> AcquireReader();
  void ReleaseReader(std::unique_ptr<SqliteConnection> conn);
  // One write transaction on its own: the path when group commit is off.
  core::Result<void> TransactAlone(const std::function<core::Result<void>(Executor&)>& body);

  mutable std::mutex write_mu_;
  std::unique_ptr<SqliteConnection> writer_;
  GroupCommitStats alone_stats_;  // guarded by write_mu_; used when committer_ is null

  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;  // idle readers
  bool shared_writer_ = false;                              // ":memory:": reads use the writer

  // Declared last, so it is destroyed first: its destructor waits for writes in flight
  // while the connections they use still exist.
  std::unique_ptr<GroupCommitter> committer_;  // null when group commit is off
};

}  // namespace atrium::storage::sqlite
