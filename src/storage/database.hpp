#pragma once
// The database interface the core owns. Drivers (SQLite now, PostgreSQL later) implement
// it; nothing above storage/ knows which one is in use.
//
// Thread-safety: every method may be called from any thread at once. Calls block, so
// callers run them on a WorkerPool thread, never on an I/O thread.
// SQL uses `?` placeholders; drivers translate when their native style differs.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/persistence/unit_of_work.hpp"
#include "core/result.hpp"
#include "storage/value.hpp"

namespace atrium::storage {

using Params = std::vector<Value>;

// Runs statements on one connection, inside a transaction opened by Database::Transact.
class Executor {
 public:
  virtual ~Executor() = default;
  virtual core::Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Returns the number of rows changed.
  virtual core::Result<std::int64_t> Execute(std::string_view sql, const Params& params = {}) = 0;
};

// A step a caller adds to a write transaction another component opens (an audit entry
// beside the change it records). Its error rolls the whole transaction back.
using TransactionStep = std::function<core::Result<void>(Executor&)>;

class Database {
 public:
  virtual ~Database() = default;

  // A read; may run on a reader connection concurrently with other reads and one write.
  virtual core::Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // A single write statement in its own transaction; durable when it returns ok.
  virtual core::Result<std::int64_t> Execute(std::string_view sql, const Params& params = {}) = 0;
  // Runs `body` in one write transaction: committed (durably) when `body` returns ok,
  // rolled back when it returns an error, which is then returned.
  virtual core::Result<void> Transact(const std::function<core::Result<void>(Executor&)>& body) = 0;
  // Transact at an isolation level (core/persistence/unit_of_work.hpp says what each
  // promises). A driver whose every write transaction is serialised (SQLite) keeps the
  // default; one with concurrent writers (PostgreSQL) sets the level on BEGIN.
  virtual core::Result<void> TransactWith(core::persistence::Isolation isolation,
                                          const std::function<core::Result<void>(Executor&)>& body) {
    (void)isolation;
    return Transact(body);
  }
  // Runs a script of several statements without parameters (used by migrations).
  virtual core::Result<void> ExecuteScript(Executor& tx, std::string_view script) = 0;
  // A cheap round trip proving the database answers.
  virtual core::Result<void> Ping() = 0;
  virtual std::string_view driver() const = 0;
};

}  // namespace atrium::storage
