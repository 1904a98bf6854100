#include "storage/postgres/pg_database.hpp"

#include "storage/postgres/sql_state.hpp"

namespace atrium::storage::postgres {

namespace {

const char* BeginStatement(Isolation isolation) {
  switch (isolation) {
    case Isolation::kReadCommitted:
      return "BEGIN ISOLATION LEVEL READ COMMITTED";
    case Isolation::kRepeatableRead:
      return "BEGIN ISOLATION LEVEL REPEATABLE READ";
    case Isolation::kSerializable:
      return "BEGIN ISOLATION LEVEL SERIALIZABLE";
  }
  return "BEGIN";
}

}  // namespace

bool IsPostgresUrl(std::string_view url) { return url.starts_with("postgresql://") || url.starts_with("postgres://"); }

core::Result<std::unique_ptr<PgDatabase>> PgDatabase::Open(const PgOptions& options) {
  if (!IsPostgresUrl(options.pool.url)) {
    return core::Error(core::ErrorCode::kInvalidArgument, "storage.url must start with postgresql:// or postgres://");
  }
  if (options.max_attempts < 1) {
    return core::Error(core::ErrorCode::kInvalidArgument, "max_attempts must be at least 1");
  }
  auto pool = PgPool::Open(options.pool);
  if (!pool) return pool.error();
  return std::unique_ptr<PgDatabase>(new PgDatabase(options, std::move(pool).value()));
}

core::Result<Rows> PgDatabase::Query(std::string_view sql, const Params& params) {
  // A read is safe to repeat, so a connection that broke while idle costs one retry
  // on a fresh one, not an error.
  for (int attempt = 0;; ++attempt) {
    auto lease = pool_->Acquire();
    if (!lease) return lease.error();
    auto rows = (**lease).Query(sql, params);
    if (rows || attempt > 0 || (**lease).Healthy()) return rows;
  }
}

core::Result<std::int64_t> PgDatabase::Execute(std::string_view sql, const Params& params) {
  std::int64_t changed = 0;
  auto done = Transact([&](Executor& tx) -> core::Result<void> {
    auto r = tx.Execute(sql, params);
    if (!r) return r.error();
    changed = *r;
    return core::Ok{};
  });
  if (!done) return done.error();
  return changed;
}

core::Result<void> PgDatabase::Transact(const std::function<core::Result<void>(Executor&)>& body) {
  return Transact(body, options_.isolation);
}

core::Result<void> PgDatabase::Transact(const std::function<core::Result<void>(Executor&)>& body, Isolation isolation) {
  int reconnects = 0;
  for (int attempt = 1;; ++attempt) {
    auto lease = pool_->Acquire();
    if (!lease) return lease.error();
    PgConnection& conn = **lease;
    if (auto r = conn.ExecuteScript(BeginStatement(isolation)); !r) {
      // An idle connection the server closed shows it only now; nothing has run yet, so
      // the pool's next connection (reconnected if it is dead too) is tried, each at most once.
      if (!conn.Healthy() && reconnects < options_.pool.size) {
        ++reconnects;
        --attempt;
        continue;
      }
      return r.error();
    }
    {
      std::lock_guard lock(stats_mu_);
      ++stats_.attempts;
      if (attempt > 1) ++stats_.retries;
    }
    core::Result<void> result = [&]() -> core::Result<void> {
      try {
        return body(conn);
      } catch (...) {
        (void)conn.ExecuteScript("ROLLBACK");  // the exception is what matters
        throw;
      }
    }();
    if (result) result = conn.ExecuteScript("COMMIT");
    if (result) {
      std::lock_guard lock(stats_mu_);
      ++stats_.commits;
      return core::Ok{};
    }
    // A failed statement leaves the server transaction aborted; the retry decision
    // reads that statement's SQLSTATE, not the body's error (which may be its own).
    const bool retry = IsRetryable(conn.last_sqlstate()) && (conn.InFailedTransaction() || !conn.InTransaction()) &&
                       attempt < options_.max_attempts;
    if (conn.InTransaction()) (void)conn.ExecuteScript("ROLLBACK");  // the first error is the one to report
    if (!retry) return result;
  }
}

core::Result<void> PgDatabase::ExecuteScript(Executor& tx, std::string_view script) {
  auto* conn = dynamic_cast<PgConnection*>(&tx);
  if (conn == nullptr) return core::Error(core::ErrorCode::kInternal, "database error", "foreign executor");
  return conn->ExecuteScript(script);
}

core::Result<std::int64_t> PgDatabase::SizeBytes() {
  auto rows = Query("SELECT pg_database_size(current_database())");
  if (!rows) return rows.error();
  if (rows->rows.empty()) return std::int64_t{0};
  return AsInt(rows->rows[0][0]).value_or(0);
}

core::Result<void> PgDatabase::Ping() {
  auto r = Query("SELECT 1");
  if (!r) return r.error();
  return core::Ok{};
}

PgDatabase::Stats PgDatabase::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

}  // namespace atrium::storage::postgres
