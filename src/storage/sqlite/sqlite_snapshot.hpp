#pragma once
// A consistent copy of a live SQLite database file, made with SQLite's online backup
// API from a connection of its own: one step copies every page inside one read
// transaction, which WAL lets run beside the server's writer, so the server keeps
// serving and the copy is the database as of one commit. The copy is checked with
// `PRAGMA quick_check` before it is trusted.

#include <string>

#include "core/result.hpp"

namespace atrium::storage::sqlite {

// kNotFound when `source` does not exist; kUnavailable when it cannot be read or the
// copy cannot be written; kInternal when the copy fails its check.
core::Result<void> SnapshotDatabase(const std::string& source, const std::string& dest);

}  // namespace atrium::storage::sqlite
