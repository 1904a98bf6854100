#pragma once
// The database the configuration names, opened and migrated to the newest schema:
// the SQLite file <data.dir>/atrium.db when storage.url is empty, otherwise the
// PostgreSQL server at storage.url. The only place that chooses a storage driver.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/config.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/migration.hpp"
#include "storage/sql/sql_repositories.hpp"

namespace atrium::app {

struct OpenedDatabase {
  std::unique_ptr<storage::Database> db;
  storage::MigrationReport migrations;
};

// `sqlite_readers` overrides storage.sqlite_readers (the migrate command needs one).
// Errors carry the whole explanation in their safe message (start-up output).
core::Result<OpenedDatabase> OpenConfiguredDatabase(const Config& config, int sqlite_readers = 0);

// The repositories over a database OpenConfiguredDatabase opened, built by its driver's
// factory. `db`, `clock` and `random` must outlive the result.
// The bytes the stored data takes: everything under `data_dir` (the SQLite file, its
// WAL, the blobs) plus, on PostgreSQL, the server's size of the database. `db` must
// outlive the result.
std::function<std::uint64_t()> StoredBytes(storage::Database& db, std::string data_dir);

core::Result<std::unique_ptr<storage::sql::SqlRepositories>> OpenRepositories(storage::Database& db,
                                                                             const core::Clock& clock,
                                                                             core::Random& random);

}  // namespace atrium::app
