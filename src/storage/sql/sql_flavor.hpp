#pragma once
// The little the shared SQL repositories must know about a driver's SQL. Everything
// else they write is accepted by SQLite 3.40 and PostgreSQL 15 alike.

#include <string>

namespace atrium::storage::sql {

struct SqlFlavor {
  // Appended to a SELECT run inside a unit of work to lock the rows it reads until the
  // unit ends (a read-modify-write): "" for SQLite, whose write units are serialised
  // already, " FOR UPDATE" for PostgreSQL.
  std::string lock_rows;
  // Appended to the SELECT that picks the rows a claim takes (jobs), so concurrent
  // claimers skip each other's rows instead of waiting for them: "" for SQLite (one
  // writer), " FOR UPDATE SKIP LOCKED" for PostgreSQL.
  std::string skip_locked;
};

}  // namespace atrium::storage::sql
