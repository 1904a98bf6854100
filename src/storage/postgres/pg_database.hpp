#pragma once
// The PostgreSQL driver: storage::Database over a bounded pool of libpq connections.
//
// Reads run on any pooled connection in autocommit. Writes (Execute and Transact) run in
// BEGIN ... COMMIT at the stated isolation level, READ COMMITTED unless the options or
// the caller ask for more. A transaction that fails with a serialization failure (40001)
// or a deadlock (40P01) is rolled back and its body run again, up to `max_attempts`
// times in all, so a body must not have effects outside the transaction that cannot
// happen twice. COMMIT returns once the server has made the transaction durable (the
// server's synchronous_commit decides what that means).

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "storage/database.hpp"
#include "storage/postgres/pg_pool.hpp"

namespace atrium::storage::postgres {

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

struct PgOptions {
  PoolOptions pool;
  Isolation isolation = Isolation::kReadCommitted;  // for Execute and Transact
  int max_attempts = 5;                             // runs of a body, retries included
};

class PgDatabase final : public Database {
 public:
  // Validates the URL's scheme (postgresql:// or postgres://; kInvalidArgument otherwise)
  // and opens the pool's first connection (kUnavailable when the server cannot be reached).
  static core::Result<std::unique_ptr<PgDatabase>> Open(const PgOptions& options);

  core::Result<Rows> Query(std::string_view sql, const Params& params = {}) override;
  core::Result<std::int64_t> Execute(std::string_view sql, const Params& params = {}) override;
  core::Result<void> Transact(const std::function<core::Result<void>(Executor&)>& body) override;
  // Transact at an isolation level other than the default one.
  core::Result<void> Transact(const std::function<core::Result<void>(Executor&)>& body, Isolation isolation);
  core::Result<void> ExecuteScript(Executor& tx, std::string_view script) override;
  core::Result<void> Ping() override;
  // The bytes the server uses for this database (pg_database_size).
  core::Result<std::int64_t> SizeBytes();
  std::string_view driver() const override { return "postgresql"; }

  // Transaction bodies run (retries included) and transactions committed, since Open.
  struct Stats {
    std::int64_t attempts = 0;
    std::int64_t commits = 0;
    std::int64_t retries = 0;
  };
  Stats stats() const;

 private:
  explicit PgDatabase(PgOptions options, std::unique_ptr<PgPool> pool)
      : options_(std::move(options)), pool_(std::move(pool)) {}

  const PgOptions options_;
  std::unique_ptr<PgPool> pool_;
  mutable std::mutex stats_mu_;
  Stats stats_;
};

// True when `url` names PostgreSQL: it starts with postgresql:// or postgres://.
bool IsPostgresUrl(std::string_view url);

}  // namespace atrium::storage::postgres
