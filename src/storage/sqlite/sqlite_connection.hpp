#pragma once
// One SQLite connection with its prepared-statement cache. Not thread-safe: the
// SqliteDatabase hands each connection to one thread at a time.

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sqlite {

class SqliteConnection final : public Executor {
 public:
  // Opens `path` and applies the connection settings (WAL, foreign keys, busy timeout,
  // synchronous=FULL). `read_only` connections refuse writes.
  static core::Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, bool read_only);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  core::Result<Rows> Query(std::string_view sql, const Params& params = {}) override;
  core::Result<std::int64_t> Execute(std::string_view sql, const Params& params = {}) override;
  core::Result<void> ExecuteScript(std::string_view script);
  // True while a transaction is open (SQLite may roll one back by itself on some errors).
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  core::Result<sqlite3_stmt*> Prepare(std::string_view sql, const Params& params);
  core::Error LastError(std::string_view what) const;

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace atrium::storage::sqlite
