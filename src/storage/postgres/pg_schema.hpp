#pragma once
// Atrium's schema for PostgreSQL, as an ordered list of migrations: the versions of the
// SQLite schema, in PostgreSQL's syntax.

#include <span>

#include "core/result.hpp"
#include "storage/migration.hpp"

namespace atrium::storage::postgres {

std::span<const Migration> PgMigrations();

// ApplyMigrations(db, PgMigrations()), with the bookkeeping table created first in
// PostgreSQL's syntax.
core::Result<MigrationReport> ApplyPgMigrations(Database& db);

}  // namespace atrium::storage::postgres
