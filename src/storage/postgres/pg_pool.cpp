#include "storage/postgres/pg_pool.hpp"

namespace atrium::storage::postgres {

PgPool::Lease::~Lease() {
  if (conn_ == nullptr) return;                                                            // moved from
  if (conn_->Healthy() && conn_->InTransaction()) (void)conn_->ExecuteScript("ROLLBACK");  // best effort
  pool_->Release(std::move(conn_));
}

core::Result<std::unique_ptr<PgPool>> PgPool::Open(const PoolOptions& options) {
  if (options.size < 1) return core::Error(core::ErrorCode::kInternal, "database pool size must be at least 1");
  std::unique_ptr<PgPool> pool(new PgPool(options));
  auto first = PgConnection::Open(options.url, options.connect_timeout);
  if (!first) return first.error();
  pool->idle_.push_back(std::move(first).value());
  pool->open_ = 1;
  return pool;
}

int PgPool::open_connections() const {
  std::lock_guard lock(mu_);
  return open_;
}

void PgPool::Release(std::unique_ptr<PgConnection> conn) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

core::Result<PgPool::Lease> PgPool::Acquire() {
  std::unique_ptr<PgConnection> conn;
  {
    std::unique_lock lock(mu_);
    const bool got =
        cv_.wait_for(lock, options_.checkout_timeout, [this] { return !idle_.empty() || open_ < options_.size; });
    if (!got) {
      return core::Error(
          core::ErrorCode::kUnavailable, "database unavailable",
          "no free database connection within " + std::to_string(options_.checkout_timeout.count()) + " ms");
    }
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // reserved; opened below without the lock
    }
  }
  if (conn == nullptr) {
    auto opened = PgConnection::Open(options_.url, options_.connect_timeout);
    if (!opened) {
      {
        std::lock_guard lock(mu_);
        --open_;
      }
      cv_.notify_one();
      return opened.error();
    }
    conn = std::move(opened).value();
  }
  if (!conn->Healthy()) {
    if (auto r = conn->Reset(); !r) {
      Release(std::move(conn));  // stays in the pool, to be reconnected next time
      return r.error();
    }
  }
  return Lease(this, std::move(conn));
}

}  // namespace atrium::storage::postgres
