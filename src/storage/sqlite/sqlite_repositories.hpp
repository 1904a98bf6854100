#pragma once
// The repositories of a SQLite database: the shared SQL ones with SQLite's flavour and
// its own full-text search. The one factory app/ and the tests use, so both wire the
// same way.

#include <memory>

#include "storage/sql/sql_repositories.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace atrium::storage::sqlite {

// `db` must be migrated (SqliteMigrations); it, `clock` and `random` must outlive the
// result.
std::unique_ptr<sql::SqlRepositories> OpenRepositories(SqliteDatabase& db, const core::Clock& clock,
                                                       core::Random& random);

}  // namespace atrium::storage::sqlite
