#pragma once
// The SQLite driver: one writer connection (SQLite allows one writer at a time anyway)
// and a small pool of reader connections, which WAL lets run beside the writer.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace atrium::storage::sqlite {

struct SqliteOptions {
  std::string path;  // a file path; ":memory:" gives one shared in-memory connection
  int readers = 2;
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

 private:
  SqliteDatabase() = default;
  std::unique_ptr<SqliteConnection> AcquireReader();
  void ReleaseReader(std::unique_ptr<SqliteConnection> conn);

  std::mutex write_mu_;
  std::unique_ptr<SqliteConnection> writer_;

  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;  // idle readers
  bool shared_writer_ = false;                              // ":memory:": reads use the writer
};

}  // namespace atrium::storage::sqlite
