#include "storage/sqlite/sqlite_schema.hpp"

#include <array>

namespace atrium::storage::sqlite {

std::span<const Migration> SqliteMigrations() {
  static const std::array<Migration, 4> kMigrations = {{
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
      {2, "identity",
       "CREATE TABLE users ("
       " id TEXT PRIMARY KEY,"
       " email TEXT NOT NULL,"
       " email_lower TEXT NOT NULL UNIQUE,"
       " username TEXT,"
       " username_lower TEXT UNIQUE,"
       " password_hash TEXT NOT NULL,"
       " display_name TEXT NOT NULL DEFAULT '',"
       " avatar_url TEXT,"
       " bio TEXT NOT NULL DEFAULT '',"
       " locale TEXT NOT NULL DEFAULT 'en-US',"
       " timezone TEXT NOT NULL DEFAULT 'UTC',"
       " role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),"
       " status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'banned')),"
       " ban_reason TEXT,"
       " email_verified INTEGER NOT NULL DEFAULT 0,"
       " settings TEXT NOT NULL DEFAULT '{}',"
       " preferences TEXT NOT NULL DEFAULT '{}',"
       " messages_sent INTEGER NOT NULL DEFAULT 0,"
       " tokens_used INTEGER NOT NULL DEFAULT 0,"
       " tokens_limit INTEGER NOT NULL DEFAULT -1,"
       " created_at TEXT NOT NULL,"
       " updated_at TEXT NOT NULL,"
       " last_login_at TEXT);"
       "CREATE TABLE devices ("
       " id TEXT PRIMARY KEY,"
       " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
       " fingerprint TEXT NOT NULL,"
       " name TEXT NOT NULL DEFAULT '', type TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '',"
       " os_version TEXT NOT NULL DEFAULT '', app_version TEXT NOT NULL DEFAULT '',"
       " is_trusted INTEGER NOT NULL DEFAULT 0,"
       " last_seen_at TEXT NOT NULL,"
       " created_at TEXT NOT NULL,"
       " UNIQUE (user_id, fingerprint));"
       "CREATE TABLE sessions ("
       " id TEXT PRIMARY KEY,"
       " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
       " device_id TEXT REFERENCES devices(id) ON DELETE SET NULL,"
       " ip_address TEXT NOT NULL DEFAULT '',"
       " user_agent TEXT NOT NULL DEFAULT '',"
       " country TEXT, city TEXT,"
       " created_at TEXT NOT NULL,"
       " last_activity_at TEXT NOT NULL,"
       " revoked_at TEXT);"
       "CREATE INDEX sessions_user ON sessions(user_id);"
       "CREATE TABLE refresh_tokens ("
       " token_hash TEXT PRIMARY KEY,"  // SHA-256 of the token; the token itself is never stored
       " session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
       " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
       " issued_at INTEGER NOT NULL,"
       " family_expires_at INTEGER NOT NULL,"
       " used_at INTEGER);"
       "CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);"
       "CREATE TABLE api_keys ("
       " key_hash TEXT PRIMARY KEY,"
       " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
       " name TEXT NOT NULL DEFAULT '',"
       " created_at TEXT NOT NULL,"
       " last_used_at TEXT);"},
      {3, "calendar_events",
       "CREATE TABLE calendar_events ("
       " id TEXT PRIMARY KEY,"
       " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
       " title TEXT NOT NULL,"
       " starts_at INTEGER NOT NULL,"  // UTC seconds
       " ends_at INTEGER NOT NULL,"
       " all_day INTEGER NOT NULL DEFAULT 0,"
       " location TEXT NOT NULL DEFAULT '',"
       " description TEXT NOT NULL DEFAULT '',"
       " created_at TEXT NOT NULL,"
       " CHECK (ends_at >= starts_at));"
       "CREATE INDEX calendar_events_user_start ON calendar_events(user_id, starts_at);"},
      {4, "webhook_deliveries",
       "CREATE TABLE webhook_deliveries ("
       " source TEXT NOT NULL,"       // 'whatsapp'
       " message_id TEXT NOT NULL,"  // the sender's id of the delivered message
       " received_at TEXT NOT NULL,"
       " PRIMARY KEY (source, message_id));"},
  }};
  return kMigrations;
}

}  // namespace atrium::storage::sqlite
