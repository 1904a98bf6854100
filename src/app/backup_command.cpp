#include "app/backup_command.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "app/application.hpp"
#include "app/open_database.hpp"
#include "core/clock.hpp"
#include "core/instances/instance_repository.hpp"
#include "core/persistence/repositories.hpp"
#include "core/random.hpp"
#include "storage/backup/backup_archive.hpp"
#include "storage/backup/backup_manifest.hpp"
#include "storage/backup/file_digest.hpp"
#include "storage/migration.hpp"
#include "storage/postgres/pg_backup.hpp"
#include "storage/postgres/pg_database.hpp"
#include "storage/postgres/pg_schema.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "storage/sqlite/sqlite_snapshot.hpp"

namespace atrium::app {

namespace fs = std::filesystem;
namespace backup = storage::backup;

namespace {

constexpr const char* kSqliteEntry = "database/atrium.db";
constexpr const char* kPgEntry = "database/atrium.pgdump";
constexpr const char* kKeyEntry = "data/jwt.key";
constexpr const char* kBlobPrefix = "data/blobs/";

bool UsesSqlite(const Config& c) { return c.storage_url.empty(); }
const char* DriverName(const Config& c) { return UsesSqlite(c) ? "sqlite" : "postgresql"; }
fs::path KeyPath(const Config& c) {
  return c.jwt_key_file.empty() ? fs::path(c.data_dir) / "jwt.key" : fs::path(c.jwt_key_file);
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "atrium: %s\n", what.c_str());
  return 1;
}
int Refuse(const std::string& what) {
  std::fprintf(stderr, "atrium: %s\n", what.c_str());
  return 2;
}
void Progress(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::fflush(stderr);
}

std::string NowRfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A private directory beside `near`, removed with everything in it when this goes.
class StagingDir {
 public:
  static core::Result<StagingDir> Create(const fs::path& near, const std::string& stem) {
    std::string tmpl = (near / (stem + "XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return core::Error(core::ErrorCode::kUnavailable, "cannot create a directory in " + near.string());
    }
    return StagingDir(tmpl);
  }
  StagingDir(StagingDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  StagingDir(const StagingDir&) = delete;
  ~StagingDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit StagingDir(fs::path p) : path_(std::move(p)) {}
  fs::path path_;
};

bool IsTemporaryBlob(const std::string& name) {
  static const std::regex kTmp(R"(\.tmp\.[0-9]+\.[0-9]+$)");  // FileBlobStore's files in flight
  return std::regex_search(name, kTmp);
}

void SyncPath(const fs::path& p, bool directory) {
  int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

core::Result<int> SchemaOf(std::unique_ptr<storage::Database> db) { return storage::SchemaVersion(*db); }

int NewestKnownSchema(const Config& c) {
  auto migrations = UsesSqlite(c) ? storage::sqlite::SqliteMigrations() : storage::postgres::PgMigrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

core::Result<std::unique_ptr<storage::postgres::PgDatabase>> OpenPg(const Config& c) {
  return storage::postgres::PgDatabase::Open({.pool = {.url = c.storage_url, .size = 1}});
}

}  // namespace

int Backup(const Config& config, const BackupOptions& options) {
  if (options.output.empty() || options.output == "-") return Refuse("backup: --output FILE is required");
  const fs::path out = fs::absolute(options.output);
  std::error_code ec;
  if (fs::exists(out, ec) && !options.force) {
    return Refuse("backup: " + out.string() + " exists (--force to overwrite it)");
  }
  auto staging = StagingDir::Create(out.parent_path(), ".atrium-backup-");
  if (!staging) return Fail("backup: " + staging.error().safe_message());

  backup::Manifest manifest;
  manifest.atrium_version = kVersion;
  manifest.driver = DriverName(config);
  manifest.created_at = NowRfc3339();

  // 1. The database, as of one moment.
  fs::path db_copy;
  std::string db_entry;
  if (UsesSqlite(config)) {
    Progress("copying the SQLite database (online backup)");
    db_copy = staging->path() / "atrium.db";
    db_entry = kSqliteEntry;
    auto snap = storage::sqlite::SnapshotDatabase((fs::path(config.data_dir) / "atrium.db").string(), db_copy.string());
    if (!snap) return Fail("backup: " + snap.error().safe_message());
    auto db = storage::sqlite::SqliteDatabase::Open({.path = db_copy.string(), .readers = 1, .group_commit = false});
    if (!db) return Fail("backup: " + db.error().internal_message());
    auto version = SchemaOf(std::move(db).value());
    if (!version) return Fail("backup: " + version.error().internal_message());
    manifest.schema_version = *version;
    // Opening it in WAL mode made a -wal and -shm beside it; closing checkpointed them.
    fs::remove(staging->path() / "atrium.db-wal", ec);
    fs::remove(staging->path() / "atrium.db-shm", ec);
  } else {
    auto db = OpenPg(config);
    if (!db) return Fail("backup: " + db.error().internal_message());
    auto version = storage::SchemaVersion(**db);
    if (!version) return Fail("backup: " + version.error().internal_message());
    manifest.schema_version = *version;
    Progress("dumping the PostgreSQL database (pg_dump, one snapshot)");
    db_copy = staging->path() / "atrium.pgdump";
    db_entry = kPgEntry;
    auto dump = storage::postgres::DumpDatabase(config.storage_url, db_copy.string());
    if (!dump) return Fail("backup: " + dump.error().safe_message());
  }

  // 2. The archive: database, key, blobs, and the manifest last (it lists what was written).
  const fs::path partial = out.string() + ".partial";
  auto writer = backup::ArchiveWriter::Create(partial);
  if (!writer) return Fail("backup: " + writer.error().safe_message());
  struct PartialGuard {
    fs::path p;
    bool keep = false;
    ~PartialGuard() {
      std::error_code e;
      if (!keep) fs::remove(p, e);
    }
  } guard{partial};
  auto add = [&](const std::string& name, const fs::path& file) -> core::Result<bool> {
    auto added = (*writer)->AddFile(name, file);
    if (!added) {
      if (added.error().code() == core::ErrorCode::kNotFound) return false;
      return added.error();
    }
    manifest.entries.push_back({name, added->size, added->sha256});
    return true;
  };
  if (auto r = add(db_entry, db_copy); !r) return Fail("backup: " + r.error().safe_message());
  if (config.jwt_secret.empty() && fs::exists(KeyPath(config), ec)) {
    if (auto r = add(kKeyEntry, KeyPath(config)); !r) return Fail("backup: " + r.error().safe_message());
  }
  const fs::path blobs = fs::path(config.data_dir) / "blobs";
  std::vector<fs::path> blob_files;
  for (auto it = fs::recursive_directory_iterator(blobs, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec) && !IsTemporaryBlob(it->path().filename().string())) blob_files.push_back(it->path());
  }
  std::sort(blob_files.begin(), blob_files.end());
  Progress("archiving " + std::to_string(blob_files.size()) + " blob(s)");
  std::size_t blob_count = 0;
  std::uint64_t blob_bytes = 0;
  std::size_t step = std::max<std::size_t>(1, blob_files.size() / 10);
  for (std::size_t i = 0; i < blob_files.size(); ++i) {
    const std::string name = kBlobPrefix + fs::relative(blob_files[i], blobs).generic_string();
    if (!backup::IsSafeEntryName(name)) continue;  // not a name the blob store writes
    auto r = add(name, blob_files[i]);
    if (!r) return Fail("backup: " + r.error().safe_message());
    if (*r) {
      ++blob_count;
      blob_bytes += manifest.entries.back().size;
    }
    if ((i + 1) % step == 0 && blob_files.size() >= 100) {
      Progress("  " + std::to_string(i + 1) + "/" + std::to_string(blob_files.size()) + " blobs");
    }
  }
  if (auto r = (*writer)->AddBytes(backup::kManifestName, backup::ManifestToJson(manifest)); !r) {
    return Fail("backup: " + r.error().safe_message());
  }
  if (auto r = (*writer)->Close(); !r) return Fail("backup: " + r.error().safe_message());
  writer->reset();
  SyncPath(partial, false);
  fs::rename(partial, out, ec);
  if (ec) return Fail("backup: cannot rename " + partial.string() + " to " + out.string() + ": " + ec.message());
  guard.keep = true;
  SyncPath(out.parent_path(), true);
  std::printf("backup written: %s (%s database at schema version %d, %zu blob(s) of %llu bytes, %llu bytes in all)\n",
              out.c_str(), manifest.driver.c_str(), manifest.schema_version, blob_count,
              static_cast<unsigned long long>(blob_bytes), static_cast<unsigned long long>(fs::file_size(out, ec)));
  return 0;
}

int Restore(const Config& config, const RestoreOptions& options) {
  if (options.input.empty()) return Refuse("restore: --input FILE is required");
  std::error_code ec;
  if (!fs::is_regular_file(options.input, ec)) return Refuse("restore: no file at " + options.input);
  const fs::path data_dir = fs::absolute(config.data_dir);
  fs::create_directories(data_dir, ec);
  if (ec) return Fail("restore: cannot create " + data_dir.string() + ": " + ec.message());
  auto staging = StagingDir::Create(data_dir, ".atrium-restore-");
  if (!staging) return Fail("restore: " + staging.error().safe_message());

  // 1. Unpack and check everything before anything is touched.
  Progress("unpacking " + options.input);
  auto extracted = backup::ExtractArchive(options.input, staging->path());
  if (!extracted) return Refuse("restore: " + extracted.error().safe_message());
  std::ifstream mf(staging->path() / backup::kManifestName, std::ios::binary);
  if (!mf) return Refuse("restore: not an Atrium backup (no manifest.json)");
  std::stringstream text;
  text << mf.rdbuf();
  auto manifest = backup::ParseManifest(text.str());
  if (!manifest) return Refuse("restore: " + manifest.error().safe_message());

  std::map<std::string, std::uint64_t> present;
  for (const auto& e : *extracted) present[e.name] = e.size;
  present.erase(backup::kManifestName);
  Progress("checking " + std::to_string(manifest->entries.size()) + " entries against the manifest");
  std::string db_entry;
  bool has_key = false;
  std::vector<std::string> blob_entries;
  for (const auto& e : manifest->entries) {
    auto it = present.find(e.path);
    if (it == present.end()) return Refuse("restore: the archive lacks " + e.path + " (cut short?)");
    if (it->second != e.size) return Refuse("restore: " + e.path + " has the wrong size");
    auto sha = backup::FileSha256(staging->path() / e.path);
    if (!sha) return Fail("restore: " + sha.error().safe_message());
    if (*sha != e.sha256) return Refuse("restore: " + e.path + " does not match its checksum");
    present.erase(it);
    if (e.path == kSqliteEntry || e.path == kPgEntry) {
      if (!db_entry.empty()) return Refuse("restore: two databases in one archive");
      db_entry = e.path;
    } else if (e.path == kKeyEntry) {
      has_key = true;
    } else if (e.path.rfind(kBlobPrefix, 0) == 0) {
      blob_entries.push_back(e.path);
    } else {
      return Refuse("restore: unexpected entry " + e.path);
    }
  }
  if (!present.empty()) return Refuse("restore: " + present.begin()->first + " is not in the manifest");
  if (db_entry.empty()) return Refuse("restore: the archive holds no database");
  if (manifest->driver != DriverName(config)) {
    return Refuse("restore: the archive holds a " + manifest->driver + " database and this configuration uses " +
                  DriverName(config) + (UsesSqlite(config) ? " (set storage.url to a PostgreSQL database)"
                                                           : " (leave storage.url empty for SQLite)"));
  }
  if (manifest->schema_version > NewestKnownSchema(config)) {
    return Refuse("restore: the archive's schema version " + std::to_string(manifest->schema_version) +
                  " is newer than this build's " + std::to_string(NewestKnownSchema(config)) + " (made by atrium " +
                  manifest->atrium_version + ")");
  }

  // 2. The target must hold nothing yet.
  const fs::path db_file = data_dir / "atrium.db";
  const fs::path blobs = data_dir / "blobs";
  if (!options.force) {
    if (UsesSqlite(config) && fs::exists(db_file, ec)) {
      return Refuse("restore: " + db_file.string() + " exists (restore into a fresh data.dir, or --force)");
    }
    if (fs::exists(blobs, ec) && !fs::is_empty(blobs, ec)) {
      return Refuse("restore: " + blobs.string() + " is not empty (restore into a fresh data.dir, or --force)");
    }
    if (!UsesSqlite(config)) {
      auto db = OpenPg(config);
      if (!db) return Fail("restore: " + db.error().internal_message());
      auto tables = storage::postgres::CountTables(**db);
      if (!tables) return Fail("restore: " + tables.error().internal_message());
      if (*tables > 0) return Refuse("restore: the database already holds tables (restore into an empty one, or --force)");
    }
    if (has_key && config.jwt_secret.empty() && fs::exists(KeyPath(config), ec)) {
      return Refuse("restore: " + KeyPath(config).string() + " exists (--force to replace it)");
    }
  }

  // 3. Into place.
  if (UsesSqlite(config)) {
    Progress("restoring the SQLite database");
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_file.string() + suffix, ec);
    fs::rename(staging->path() / db_entry, db_file, ec);
    if (ec) return Fail("restore: cannot move the database into " + data_dir.string() + ": " + ec.message());
  } else {
    Progress("restoring the PostgreSQL database (pg_restore, one transaction)");
    auto r = storage::postgres::RestoreDatabase(config.storage_url, (staging->path() / db_entry).string(), options.force);
    if (!r) return Fail("restore: " + r.error().safe_message());
  }
  Progress("restoring " + std::to_string(blob_entries.size()) + " blob(s)");
  for (const auto& name : blob_entries) {
    const fs::path target = blobs / name.substr(std::string(kBlobPrefix).size());
    fs::create_directories(target.parent_path(), ec);
    fs::rename(staging->path() / name, target, ec);
    if (ec) return Fail("restore: cannot move " + name + " into place: " + ec.message());
  }
  if (has_key) {
    if (config.jwt_secret.empty()) {
      fs::create_directories(KeyPath(config).parent_path(), ec);
      fs::rename(staging->path() / kKeyEntry, KeyPath(config), ec);
      if (ec) {
        // Another file system: copy it, keeping it private.
        ec.clear();
        fs::copy_file(staging->path() / kKeyEntry, KeyPath(config), fs::copy_options::overwrite_existing, ec);
        if (ec) return Fail("restore: cannot write " + KeyPath(config).string() + ": " + ec.message());
        fs::permissions(KeyPath(config), fs::perms::owner_read | fs::perms::owner_write, ec);
      }
    } else {
      Progress("note: the archive's token key is not used (jwt.secret is set); sessions made before need new logins");
    }
  }
  SyncPath(data_dir, true);

  // 4. The schema brought to this build's version, and the instances that were running
  // when the backup was made forgotten: none of them serves this database.
  auto opened = OpenConfiguredDatabase(config, /*sqlite_readers=*/1);
  if (!opened) return Fail("restore: " + opened.error().safe_message());
  {
    core::SystemClock clock;
    core::SecureRandom random;
    auto stores = OpenRepositories(*opened->db, clock, random);
    if (!stores) return Fail("restore: " + stores.error().safe_message());
    const auto& repos = (*stores)->repos();
    auto forgotten = repos.transactions.Run(core::persistence::Isolation::kReadCommitted,
                                            [&](core::persistence::UnitOfWork& uow) -> core::Result<void> {
                                              auto pruned = repos.instances.PruneDead(
                                                  uow, clock.Now() + std::chrono::hours(24 * 365));
                                              if (!pruned) return pruned.error();
                                              return core::Ok{};
                                            });
    if (!forgotten) return Fail("restore: " + forgotten.error().internal_message());
  }
  std::printf("restored %s: %s database at schema version %d (now %d), %zu blob(s)%s\n", options.input.c_str(),
              manifest->driver.c_str(), manifest->schema_version, opened->migrations.to_version, blob_entries.size(),
              has_key && config.jwt_secret.empty() ? ", token key" : "");
  return 0;
}

}  // namespace atrium::app
