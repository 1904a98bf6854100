#include "storage/sqlite/sqlite_schema.hpp"

#include <array>

namespace atrium::storage::sqlite {

std::span<const Migration> SqliteMigrations() {
  static const std::array<Migration, 1> kMigrations = {{
      {1, "client_logs",
       "CREATE TABLE client_logs ("
       " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
       " id TEXT NOT NULL,"
       " timestamp TEXT NOT NULL,"
       " level TEXT NOT NULL,"
       " label TEXT NOT NULL DEFAULT '',"
       " message TEXT NOT NULL,"
       " file TEXT, function TEXT, line INTEGER,"
       " metadata TEXT,"  // JSON text, as sent
       " client_id TEXT, client_name TEXT,"
       " received_at TEXT NOT NULL);"
       "CREATE INDEX client_logs_level ON client_logs(level);"
       "CREATE INDEX client_logs_label ON client_logs(label);"
       "CREATE INDEX client_logs_timestamp ON client_logs(timestamp);"},
  }};
  return kMigrations;
}

}  // namespace atrium::storage::sqlite
