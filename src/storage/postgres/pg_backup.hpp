#pragma once
// Backup and restore of a PostgreSQL database with PostgreSQL's own tools: pg_dump
// (custom format, one snapshot: the database as of one moment while the server keeps
// serving) and pg_restore (in one transaction, so a failed restore leaves nothing
// behind). They run as children with the connection taken apart into PG* environment
// variables, so the password never appears on a command line.

#include <string>

#include "core/result.hpp"
#include "storage/postgres/pg_database.hpp"

namespace atrium::storage::postgres {

// kUnavailable when pg_dump is missing or fails (with its own message).
core::Result<void> DumpDatabase(const std::string& url, const std::string& dest_file);

// `replace`: drop the objects the dump holds before creating them (--clean --if-exists).
core::Result<void> RestoreDatabase(const std::string& url, const std::string& dump_file, bool replace);

// The number of tables in the connection's current schema (a restore wants 0).
core::Result<std::int64_t> CountTables(PgDatabase& db);

}  // namespace atrium::storage::postgres
