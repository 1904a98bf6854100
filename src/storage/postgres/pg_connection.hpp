#pragma once
// One libpq connection with its prepared-statement cache. Not thread-safe: the pool
// hands each connection to one thread at a time.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

struct pg_conn;  // libpq's PGconn and PGresult, kept out of this header
struct pg_result;

namespace atrium::storage::postgres {

class PgConnection final : public Executor {
 public:
  // Connects to `url` (a postgresql:// URI or a libpq conninfo string). An unreachable or
  // refusing server is kUnavailable; `connect_timeout` applies unless the URL sets one.
  static core::Result<std::unique_ptr<PgConnection>> Open(const std::string& url, std::chrono::seconds connect_timeout);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // One statement with `?` parameters, prepared once per connection and SQL text.
  core::Result<Rows> Query(std::string_view sql, const Params& params = {}) override;
  core::Result<std::int64_t> Execute(std::string_view sql, const Params& params = {}) override;
  // Several statements without parameters in one round trip (simple query protocol);
  // inside an open transaction they join it.
  core::Result<void> ExecuteScript(std::string_view script);

  // The SQLSTATE of the last failed call ("" when libpq itself failed), kept until the
  // next failure: the database reads it to decide whether a transaction may run again.
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  // False once the connection broke; Reset() reconnects it.
  bool Healthy() const;
  bool InTransaction() const;
  bool InFailedTransaction() const;
  // Reconnects with the same parameters, dropping the statement cache.
  core::Result<void> Reset();

 private:
  struct Prepared {
    std::string name;
    std::vector<unsigned> param_types;  // as the server resolved them
  };

  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  core::Result<const Prepared*> Prepare(std::string_view sql, const Params& params);
  struct ResultDeleter {
    void operator()(pg_result* r) const;
  };
  using ResultPtr = std::unique_ptr<pg_result, ResultDeleter>;
  // Runs `sql` as a prepared statement; the result is a successful one.
  core::Result<ResultPtr> Run(std::string_view sql, const Params& params);
  // The error of a failed call (`result` may be null), remembered in last_sqlstate_.
  core::Error Fail(const pg_result* result, std::string_view what);

  pg_conn* conn_;
  std::unordered_map<std::string, Prepared> statements_;
  std::string last_sqlstate_;
};

}  // namespace atrium::storage::postgres
