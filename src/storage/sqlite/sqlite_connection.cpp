#include "storage/sqlite/sqlite_connection.hpp"

#include <string>

namespace atrium::storage::sqlite {

namespace {

// Settings applied to every connection. synchronous=FULL: in WAL mode a commit is
// fsynced before it is acknowledged, so an answered write survives power loss
// (NORMAL could lose the last commits). The cost is one fsync per write transaction.
constexpr const char* kPragmas =
    "PRAGMA foreign_keys=ON;"
    "PRAGMA busy_timeout=5000;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA temp_store=MEMORY;";

// Resets a statement when it leaves scope, so cached statements never stay busy.
struct StatementReset {
  sqlite3_stmt* stmt;
  ~StatementReset() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

}  // namespace

core::Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return core::Error(core::ErrorCode::kUnavailable, "database unavailable", "open " + path + ": " + msg);
  }
  // Extended codes tell a UNIQUE clash from NOT NULL, CHECK, FOREIGN KEY and trigger aborts.
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  if (!read_only) {
    if (auto r = conn->ExecuteScript("PRAGMA journal_mode=WAL;"); !r) return r.error();
  }
  if (auto r = conn->ExecuteScript(kPragmas); !r) return r.error();
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

core::Error SqliteConnection::LastError(std::string_view what) const {
  const int code = sqlite3_extended_errcode(db_);
  const int primary = code & 0xff;
  core::ErrorCode kind = core::ErrorCode::kInternal;
  std::string safe = "database error";
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    // Only a key clash means "already exists". Other constraint failures (NOT NULL, CHECK,
    // FOREIGN KEY, a trigger's RAISE) are the caller's bug or an injected fault: internal.
    kind = core::ErrorCode::kAlreadyExists;
    safe = "conflicts with stored data";
  } else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL || primary == SQLITE_IOERR ||
             primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY) {
    kind = core::ErrorCode::kUnavailable;
    safe = "database unavailable";
  }
  return core::Error(kind, safe, std::string(what) + ": " + sqlite3_errmsg(db_));
}

core::Result<sqlite3_stmt*> SqliteConnection::Prepare(std::string_view sql, const Params& params) {
  std::string key(sql);
  sqlite3_stmt* stmt = nullptr;
  if (auto it = statements_.find(key); it != statements_.end()) {
    stmt = it->second;
  } else {
    if (sqlite3_prepare_v2(db_, key.c_str(), static_cast<int>(key.size()), &stmt, nullptr) != SQLITE_OK) {
      return LastError("prepare");
    }
    statements_.emplace(std::move(key), stmt);
  }
  if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
    return core::Error(core::ErrorCode::kInternal, "database error", "parameter count mismatch");
  }
  for (int i = 0; i < static_cast<int>(params.size()); ++i) {
    const Value& v = params[static_cast<std::size_t>(i)];
    int rc = SQLITE_OK;
    if (std::holds_alternative<Null>(v)) {
      rc = sqlite3_bind_null(stmt, i + 1);
    } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, i + 1, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, i + 1, *d);
    } else {
      const auto& s = std::get<std::string>(v);
      rc = sqlite3_bind_text64(stmt, i + 1, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
      return LastError("bind");
    }
  }
  return stmt;
}

core::Result<Rows> SqliteConnection::Query(std::string_view sql, const Params& params) {
  auto prepared = Prepare(sql, params);
  if (!prepared) return prepared.error();
  sqlite3_stmt* stmt = *prepared;
  StatementReset reset{stmt};
  Rows out;
  const int columns = sqlite3_column_count(stmt);
  for (int c = 0; c < columns; ++c) out.columns.emplace_back(sqlite3_column_name(stmt, c));
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return LastError("step");
    std::vector<Value> row;
    row.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
          row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_FLOAT:
          row.emplace_back(sqlite3_column_double(stmt, c));
          break;
        case SQLITE_NULL:
          row.emplace_back(Null{});
          break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_blob(stmt, c));
          row.emplace_back(std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
        }
      }
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

core::Result<std::int64_t> SqliteConnection::Execute(std::string_view sql, const Params& params) {
  auto prepared = Prepare(sql, params);
  if (!prepared) return prepared.error();
  sqlite3_stmt* stmt = *prepared;
  StatementReset reset{stmt};
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return LastError("step");
  return static_cast<std::int64_t>(sqlite3_changes64(db_));
}

core::Result<void> SqliteConnection::ExecuteScript(std::string_view script) {
  std::string text(script);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    auto e = LastError("exec");
    return core::Error(e.code(), e.safe_message(), "exec: " + msg);
  }
  return core::Ok{};
}

}  // namespace atrium::storage::sqlite
