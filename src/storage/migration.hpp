#pragma once
// Versioned schema migrations. Each migration runs in its own transaction together with
// the bookkeeping row that records it, so a crash leaves the schema at a whole version.

#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace atrium::storage {

struct Migration {
  int version;  // strictly increasing, starting at 1
  std::string name;
  std::string sql;  // one or more statements
};

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // names, in order
};

// The schema version recorded in the database (0 for an empty one).
core::Result<int> SchemaVersion(Database& db);

// Applies every migration newer than the recorded version, in order. Fails without
// touching anything when the database is newer than the newest migration known here
// (an older binary must not run against a newer schema).
// `applied_at` (RFC 3339) is recorded with each; the overload without it records the
// system clock's time.
core::Result<MigrationReport> ApplyMigrations(Database& db, std::span<const Migration> migrations,
                                              const std::string& applied_at);
core::Result<MigrationReport> ApplyMigrations(Database& db, std::span<const Migration> migrations);

}  // namespace atrium::storage
