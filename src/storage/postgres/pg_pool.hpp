#pragma once
// A bounded pool of PostgreSQL connections. Checkout blocks until a connection is free
// or the timeout passes (then kUnavailable); connections are opened lazily up to the
// bound, and one that broke is reconnected before it is handed out again.
//
// Thread-safety: Acquire may be called from any thread; a Lease belongs to one thread.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/postgres/pg_connection.hpp"

namespace atrium::storage::postgres {

struct PoolOptions {
  std::string url;
  int size = 8;                                      // connections at most
  std::chrono::milliseconds checkout_timeout{5000};  // waiting for a free connection
  std::chrono::seconds connect_timeout{5};           // opening one
};

class PgPool {
 public:
  // A checked-out connection, returned to the pool when the lease ends. A connection
  // left inside a transaction (a bug or an exception) is rolled back first.
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = delete;
    ~Lease();
    PgConnection& operator*() const { return *conn_; }
    PgConnection* operator->() const { return conn_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  // Opens the first connection now, so a wrong URL or an unreachable server stops the
  // start-up (kUnavailable) instead of the first request.
  static core::Result<std::unique_ptr<PgPool>> Open(const PoolOptions& options);

  core::Result<Lease> Acquire();

  int open_connections() const;

 private:
  explicit PgPool(PoolOptions options) : options_(std::move(options)) {}
  void Release(std::unique_ptr<PgConnection> conn);

  const PoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // idle + leased + being opened
};

}  // namespace atrium::storage::postgres
