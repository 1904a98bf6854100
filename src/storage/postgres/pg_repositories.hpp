#pragma once
// The repositories of a PostgreSQL database: the shared SQL ones with PostgreSQL's
// flavour (reads of a read-modify-write lock their rows) and its own full-text search.
// The one factory app/ and the tests use, so both wire the same way.

#include <memory>

#include "storage/postgres/pg_database.hpp"
#include "storage/sql/sql_repositories.hpp"

namespace atrium::storage::postgres {

// `db` must be migrated (ApplyPgMigrations); it, `clock` and `random` must outlive the
// result.
std::unique_ptr<sql::SqlRepositories> OpenRepositories(PgDatabase& db, const core::Clock& clock, core::Random& random);

}  // namespace atrium::storage::postgres
