#include "app/open_database.hpp"

#include <filesystem>

#include "core/system/process_stats.hpp"

#include "storage/postgres/pg_database.hpp"
#include "storage/postgres/pg_repositories.hpp"
#include "storage/postgres/pg_schema.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"

namespace atrium::app {

namespace fs = std::filesystem;

namespace {

core::Error StartupError(const core::Error& e) { return core::Error(e.code(), "database: " + e.internal_message()); }

}  // namespace

core::Result<OpenedDatabase> OpenConfiguredDatabase(const Config& config, int sqlite_readers) {
  // blobs/ (and the key file) stay under data.dir whichever driver holds the rows.
  std::error_code ec;
  fs::create_directories(fs::path(config.data_dir) / "blobs", ec);
  if (ec) {
    return core::Error(core::ErrorCode::kUnavailable,
                       "data.dir: cannot create '" + config.data_dir + "': " + ec.message());
  }
  OpenedDatabase out;
  core::Result<storage::MigrationReport> migrated = storage::MigrationReport{};
  if (config.storage_url.empty()) {
    auto db =
        storage::sqlite::SqliteDatabase::Open({.path = (fs::path(config.data_dir) / "atrium.db").string(),
                                               .readers = sqlite_readers > 0 ? sqlite_readers : config.sqlite_readers,
                                               .group_commit = config.sqlite_group_commit});
    if (!db) return StartupError(db.error());
    migrated = storage::ApplyMigrations(**db, storage::sqlite::SqliteMigrations());
    out.db = std::move(db).value();
  } else if (storage::postgres::IsPostgresUrl(config.storage_url)) {
    auto db =
        storage::postgres::PgDatabase::Open({.pool = {.url = config.storage_url, .size = config.storage_pool_size}});
    if (!db) return StartupError(db.error());  // libpq's messages never repeat the password
    migrated = storage::postgres::ApplyPgMigrations(**db);
    out.db = std::move(db).value();
  } else {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "storage.url: must be empty (the SQLite file in data.dir) or a postgresql:// URL");
  }
  if (!migrated) {
    return core::Error(migrated.error().code(),
                       "database: " + migrated.error().safe_message() + ": " + migrated.error().internal_message());
  }
  out.migrations = std::move(migrated).value();
  return out;
}

std::function<std::uint64_t()> StoredBytes(storage::Database& db, std::string data_dir) {
  auto* pg = dynamic_cast<storage::postgres::PgDatabase*>(&db);
  return [pg, dir = std::move(data_dir)]() -> std::uint64_t {
    std::uint64_t bytes = core::system::DirectoryBytes(dir);
    if (pg != nullptr) {
      auto size = pg->SizeBytes();
      if (size && *size > 0) bytes += static_cast<std::uint64_t>(*size);
    }
    return bytes;
  };
}

core::Result<std::unique_ptr<storage::sql::SqlRepositories>> OpenRepositories(storage::Database& db,
                                                                             const core::Clock& clock,
                                                                             core::Random& random) {
  if (auto* sqlite = dynamic_cast<storage::sqlite::SqliteDatabase*>(&db)) {
    return storage::sqlite::OpenRepositories(*sqlite, clock, random);
  }
  if (auto* pg = dynamic_cast<storage::postgres::PgDatabase*>(&db)) {
    return storage::postgres::OpenRepositories(*pg, clock, random);
  }
  return core::Error(core::ErrorCode::kUnavailable, "database: no repositories for driver " + std::string(db.driver()));
}

}  // namespace atrium::app
