#pragma once
// `atrium backup` and `atrium restore`.
//
// A backup is one gzip tar: manifest.json (driver, schema version, every entry's size and
// SHA-256), the database (SQLite: a copy made with the online backup API; PostgreSQL: a
// pg_dump archive, one snapshot), the blobs under data.dir/blobs and the token key file
// when it lives in data.dir. The server keeps serving while it is made. The database is
// copied first and the blobs after, so every blob the copied rows name is in the archive
// (blobs are written before the rows that name them); a blob deleted in between is the
// one thing a backup of a live server can miss.
//
// A restore checks the whole archive against its manifest before it touches anything,
// refuses a data directory or database that already holds data (unless --force), then
// puts everything in place and migrates the schema to this build's version.

#include <string>

#include "app/config.hpp"

namespace atrium::app {

struct BackupOptions {
  std::string output;  // the archive to write ("-" is not supported: it is written atomically)
  bool force = false;  // overwrite an existing output file
};

struct RestoreOptions {
  std::string input;
  bool force = false;  // restore over data that is already there
};

// Exit codes: 0 done, 1 failed (the reason on stderr), 2 refused (bad archive or target not empty).
int Backup(const Config& config, const BackupOptions& options);
int Restore(const Config& config, const RestoreOptions& options);

}  // namespace atrium::app
