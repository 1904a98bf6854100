#include "storage/migration.hpp"

#include <chrono>
#include <ctime>
#include <string>

namespace atrium::storage {

namespace {

constexpr std::string_view kCreateBookkeeping =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";  // RFC 3339, given by the caller

}  // namespace

core::Result<int> SchemaVersion(Database& db) {
  auto created = db.Execute(kCreateBookkeeping);
  if (!created) return created.error();
  auto rows = db.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!rows) return rows.error();
  if (rows->empty()) return 0;
  return static_cast<int>(AsInt(rows->rows[0][0]).value_or(0));
}

core::Result<MigrationReport> ApplyMigrations(Database& db, std::span<const Migration> migrations) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return ApplyMigrations(db, migrations, std::string(text, n));
}

core::Result<MigrationReport> ApplyMigrations(Database& db, std::span<const Migration> migrations,
                                              const std::string& applied_at) {
  // The whole list is checked before anything runs: applying a prefix of a misordered
  // list would record a later version and make the skipped one look applied forever.
  int previous = 0;
  for (const auto& m : migrations) {
    if (m.version <= previous) {
      return core::Error(core::ErrorCode::kInternal, "migrations out of order at version " + std::to_string(m.version));
    }
    previous = m.version;
  }

  auto current = SchemaVersion(db);
  if (!current) return current.error();
  MigrationReport report;
  report.from_version = report.to_version = *current;

  const int newest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > newest) {
    return core::Error(core::ErrorCode::kInternal, "database schema version " + std::to_string(*current) +
                                                       " is newer than this binary knows (" + std::to_string(newest) +
                                                       ")");
  }
  for (const auto& m : migrations) {
    if (m.version <= *current) continue;
    auto done = db.Transact([&](Executor& tx) -> core::Result<void> {
      if (auto r = db.ExecuteScript(tx, m.sql); !r) return r.error();
      auto rec = tx.Execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                            {Value{static_cast<std::int64_t>(m.version)}, Value{m.name}, Value{applied_at}});
      if (!rec) return rec.error();
      return core::Ok{};
    });
    if (!done) {
      return core::Error(done.error().code(), "migration " + std::to_string(m.version) + " (" + m.name + ") failed",
                         done.error().internal_message());
    }
    report.applied.push_back(m.name);
    report.to_version = m.version;
  }
  return report;
}

}  // namespace atrium::storage
