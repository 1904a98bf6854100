#include "storage/sqlite/sqlite_snapshot.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <memory>

namespace atrium::storage::sqlite {

namespace {

using Handle = std::unique_ptr<sqlite3, int (*)(sqlite3*)>;

core::Error Failure(core::ErrorCode code, sqlite3* db, const std::string& what) {
  return core::Error(code, what + (db != nullptr ? std::string(": ") + sqlite3_errmsg(db) : std::string()));
}

}  // namespace

core::Result<void> SnapshotDatabase(const std::string& source, const std::string& dest) {
  std::error_code ec;
  if (!std::filesystem::exists(source, ec)) {
    return core::Error(core::ErrorCode::kNotFound, "no database at " + source);
  }
  sqlite3* raw = nullptr;
  // Read-write without CREATE: a WAL reader needs the shared-memory file; nothing is written.
  int rc = sqlite3_open_v2(source.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  Handle src(raw, &sqlite3_close_v2);
  if (rc != SQLITE_OK) return Failure(core::ErrorCode::kUnavailable, raw, "cannot open " + source);
  sqlite3_busy_timeout(src.get(), 10000);
  raw = nullptr;
  rc = sqlite3_open_v2(dest.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Handle dst(raw, &sqlite3_close_v2);
  if (rc != SQLITE_OK) return Failure(core::ErrorCode::kUnavailable, raw, "cannot create " + dest);

  sqlite3_backup* backup = sqlite3_backup_init(dst.get(), "main", src.get(), "main");
  if (backup == nullptr) return Failure(core::ErrorCode::kUnavailable, dst.get(), "backup of " + source);
  // -1: every page in one step, so the copy comes from one read transaction. A writer
  // holding a lock only delays the step (BUSY/LOCKED): try again a while.
  int attempts = 0;
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++attempts < 400);
  int finish = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE || finish != SQLITE_OK) {
    return Failure(core::ErrorCode::kUnavailable, dst.get(), "backup of " + source);
  }
  // A single file with no -wal beside it.
  if (sqlite3_exec(dst.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Failure(core::ErrorCode::kUnavailable, dst.get(), "backup of " + source);
  }
  sqlite3_stmt* check = nullptr;
  if (sqlite3_prepare_v2(dst.get(), "PRAGMA quick_check", -1, &check, nullptr) != SQLITE_OK) {
    return Failure(core::ErrorCode::kInternal, dst.get(), "checking the copy");
  }
  std::string verdict;
  if (sqlite3_step(check) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(check, 0);
    verdict = text != nullptr ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(check);
  if (verdict != "ok") return core::Error(core::ErrorCode::kInternal, "the copy of " + source + " fails its check: " + verdict);
  return core::Ok{};
}

}  // namespace atrium::storage::sqlite
