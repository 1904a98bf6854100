#include "storage/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <charconv>

#include "storage/postgres/pg_value.hpp"
#include "storage/postgres/placeholders.hpp"
#include "storage/postgres/sql_state.hpp"

namespace atrium::storage::postgres {

namespace {

std::string Field(const PGresult* r, int code) {
  const char* v = r != nullptr ? PQresultErrorField(r, code) : nullptr;
  return v != nullptr ? v : "";
}

// The parameter types a statement is prepared with, as a cache-key suffix: the same
// SQL run with an integer and with a string in one place needs two statements.
std::string Signature(const Params& params) {
  std::string sig;
  sig.reserve(params.size());
  for (const auto& p : params) sig.push_back(static_cast<char>('0' + static_cast<int>(p.index())));
  return sig;
}

// The server's NOTICEs ("relation ... already exists, skipping") are not errors, and
// libpq's default printer would write them to stderr, beside the server's log.
void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

void PgConnection::ResultDeleter::operator()(pg_result* r) const { PQclear(r); }

core::Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url,
                                                               std::chrono::seconds connect_timeout) {
  // Keywords before `dbname` are defaults the URL may override; those after it are not.
  const std::string timeout = std::to_string(connect_timeout.count());
  const char* keys[] = {"connect_timeout", "dbname", "client_encoding", "application_name", nullptr};
  const char* values[] = {timeout.c_str(), url.c_str(), "UTF8", "atrium", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return core::Error(core::ErrorCode::kUnavailable, "database unavailable", "out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(conn);
    return core::Error(core::ErrorCode::kUnavailable, "database unavailable", "connect: " + msg);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  std::unique_ptr<PgConnection> out(new PgConnection(conn));
  // Fixed session settings the decoder relies on.
  if (auto r = out->ExecuteScript("SET bytea_output = 'hex'; SET extra_float_digits = 3"); !r) return r.error();
  return out;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

bool PgConnection::InTransaction() const {
  const auto s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR;
}

bool PgConnection::InFailedTransaction() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

core::Result<void> PgConnection::Reset() {
  statements_.clear();  // prepared statements die with the server session
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    last_sqlstate_.clear();
    return core::Error(core::ErrorCode::kUnavailable, "database unavailable",
                       std::string("reconnect: ") + PQerrorMessage(conn_));
  }
  return ExecuteScript("SET bytea_output = 'hex'; SET extra_float_digits = 3");
}

core::Error PgConnection::Fail(const pg_result* result, std::string_view what) {
  ServerError e;
  e.sqlstate = Field(result, PG_DIAG_SQLSTATE);
  e.message = Field(result, PG_DIAG_MESSAGE_PRIMARY);
  e.constraint = Field(result, PG_DIAG_CONSTRAINT_NAME);
  if (e.message.empty()) e.message = PQerrorMessage(conn_);
  while (!e.message.empty() && (e.message.back() == '\n' || e.message.back() == ' ')) e.message.pop_back();
  // A broken connection reports whatever the last server message was, or none.
  if (!Healthy()) e.sqlstate.clear();
  last_sqlstate_ = e.sqlstate;
  return MapServerError(e, what);
}

core::Result<const PgConnection::Prepared*> PgConnection::Prepare(std::string_view sql, const Params& params) {
  std::string key(sql);
  key.push_back('\0');
  key += Signature(params);
  if (auto it = statements_.find(key); it != statements_.end()) return &it->second;

  const TranslatedSql translated = TranslatePlaceholders(sql);
  if (translated.parameters != static_cast<int>(params.size())) {
    last_sqlstate_ = "XX000";  // a caller bug: neither retryable nor a lost connection
    return core::Error(core::ErrorCode::kInternal, "database error", "parameter count mismatch");
  }
  std::vector<Oid> types;
  types.reserve(params.size());
  for (const auto& p : params) types.push_back(DeclaredType(p));

  Prepared prepared{"s" + std::to_string(statements_.size() + 1), {}};
  ResultPtr made(PQprepare(conn_, prepared.name.c_str(), translated.sql.c_str(), static_cast<int>(types.size()),
                           types.empty() ? nullptr : types.data()));
  if (!made || PQresultStatus(made.get()) != PGRES_COMMAND_OK) return Fail(made.get(), "prepare");
  ResultPtr described(PQdescribePrepared(conn_, prepared.name.c_str()));
  if (!described || PQresultStatus(described.get()) != PGRES_COMMAND_OK) return Fail(described.get(), "describe");
  for (int i = 0; i < PQnparams(described.get()); ++i) prepared.param_types.push_back(PQparamtype(described.get(), i));
  auto [it, inserted] = statements_.emplace(std::move(key), std::move(prepared));
  return &it->second;
}

core::Result<PgConnection::ResultPtr> PgConnection::Run(std::string_view sql, const Params& params) {
  auto prepared = Prepare(sql, params);
  if (!prepared) return prepared.error();
  const Prepared& stmt = **prepared;

  const std::size_t n = params.size();
  std::vector<std::string> text(n);
  std::vector<const char*> values(n, nullptr);
  std::vector<int> lengths(n, 0);
  std::vector<int> formats(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (std::holds_alternative<Null>(params[i])) continue;
    text[i] = EncodeText(params[i]);
    values[i] = text[i].c_str();
    lengths[i] = static_cast<int>(text[i].size());
    // bytea's binary format is the raw bytes, so a blob travels unescaped.
    if (stmt.param_types[i] == kByteaOid && std::holds_alternative<std::string>(params[i])) formats[i] = 1;
  }
  ResultPtr result(PQexecPrepared(conn_, stmt.name.c_str(), static_cast<int>(n), values.data(), lengths.data(),
                                  formats.data(), /*resultFormat=text*/ 0));
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return Fail(result.get(), "execute");
  return result;
}

core::Result<Rows> PgConnection::Query(std::string_view sql, const Params& params) {
  auto ran = Run(sql, params);
  if (!ran) return ran.error();
  const PGresult* r = ran->get();
  Rows out;
  const int columns = PQnfields(r);
  const int rows = PQntuples(r);
  std::vector<Oid> types(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) {
    out.columns.emplace_back(PQfname(r, c));
    types[static_cast<std::size_t>(c)] = PQftype(r, c);
  }
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    std::vector<Value> row;
    row.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(r, i, c) != 0) {
        row.emplace_back(Null{});
        continue;
      }
      row.push_back(DecodeText(types[static_cast<std::size_t>(c)],
                               std::string_view(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c)))));
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

core::Result<std::int64_t> PgConnection::Execute(std::string_view sql, const Params& params) {
  auto ran = Run(sql, params);
  if (!ran) return ran.error();
  const std::string_view tuples = PQcmdTuples(ran->get());
  std::int64_t changed = 0;
  (void)std::from_chars(tuples.data(), tuples.data() + tuples.size(), changed);  // "" (DDL) stays 0
  return changed;
}

core::Result<void> PgConnection::ExecuteScript(std::string_view script) {
  const std::string text(script);
  ResultPtr result(PQexec(conn_, text.c_str()));
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    return Fail(result.get(), "exec");
  }
  return core::Ok{};
}

}  // namespace atrium::storage::postgres
