#include "storage/sqlite/sqlite_schema.hpp"

#include <array>

namespace atrium::storage::sqlite {

std::span<const Migration> SqliteMigrations() {
  static const std::array<Migration, 11> kMigrations = {{
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
      {3, "assistant_configs_prompt_templates_audit",
       "CREATE TABLE assistant_configs ("
       " id TEXT PRIMARY KEY,"
       " owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
       " name TEXT NOT NULL,"
       " model_id TEXT NOT NULL,"
       " model_name TEXT NOT NULL DEFAULT '',"
       " description TEXT NOT NULL DEFAULT '',"
       " system_prompt TEXT NOT NULL DEFAULT '',"
       " avatar TEXT NOT NULL DEFAULT '',"
       " temperature REAL, max_tokens INTEGER, top_p REAL, frequency_penalty REAL, presence_penalty REAL,"
       " tags TEXT NOT NULL DEFAULT '[]',"  // JSON array of lower-case strings
       " visibility TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'public', 'template')),"
       " uses_count INTEGER NOT NULL DEFAULT 0,"
       " saves_count INTEGER NOT NULL DEFAULT 0,"
       " created_at TEXT NOT NULL,"
       " updated_at TEXT NOT NULL);"
       "CREATE INDEX assistant_configs_owner ON assistant_configs(owner_id, created_at);"
       "CREATE INDEX assistant_configs_visibility ON assistant_configs(visibility, uses_count);"
       "CREATE TABLE assistant_config_saves ("
       " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
       " config_id TEXT NOT NULL REFERENCES assistant_configs(id) ON DELETE CASCADE,"
       " created_at TEXT NOT NULL,"
       " PRIMARY KEY (user_id, config_id));"
       "CREATE INDEX assistant_config_saves_config ON assistant_config_saves(config_id);"
       "CREATE TABLE prompt_templates ("
       " id TEXT PRIMARY KEY,"
       " name TEXT NOT NULL,"
       " category TEXT NOT NULL,"
       " template_text TEXT NOT NULL,"
       " variables TEXT NOT NULL DEFAULT '[]',"
       " description TEXT NOT NULL DEFAULT '',"
       " usage_count INTEGER NOT NULL DEFAULT 0,"
       " is_active INTEGER NOT NULL DEFAULT 1,"
       " created_by TEXT NOT NULL DEFAULT '',"
       " created_at TEXT NOT NULL,"
       " updated_at TEXT NOT NULL);"
       "CREATE INDEX prompt_templates_category ON prompt_templates(is_active, category);"
       "CREATE TABLE audit_logs ("
       " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
       " id TEXT NOT NULL UNIQUE,"
       " admin_id TEXT NOT NULL,"  // no foreign key: the record outlives the account
       " admin_email TEXT NOT NULL DEFAULT '',"
       " action TEXT NOT NULL,"
       " target_id TEXT NOT NULL DEFAULT '',"
       " details TEXT NOT NULL DEFAULT '{}',"
       " created_at TEXT NOT NULL);"
       "CREATE INDEX audit_logs_action ON audit_logs(action, seq);"},
      {4, "generated_images",
       "CREATE TABLE generated_images ("
       " id TEXT PRIMARY KEY,"
       " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
       " prompt TEXT NOT NULL,"
       " model_id TEXT NOT NULL,"
       " negative_prompt TEXT NOT NULL DEFAULT '',"
       " is_favorite INTEGER NOT NULL DEFAULT 0,"
       " input_images_count INTEGER NOT NULL DEFAULT 0,"
       " generation_time_ms INTEGER NOT NULL DEFAULT 0,"
       " usage TEXT NOT NULL DEFAULT '{}',"
       " mime TEXT NOT NULL,"
       " size_bytes INTEGER NOT NULL DEFAULT 0,"  // the bytes are in the blob store
       " created_at TEXT NOT NULL);"
       "CREATE INDEX generated_images_user ON generated_images(user_id, created_at);"},
      {5, "arena",
       "CREATE TABLE arena_sessions ("
       " id TEXT PRIMARY KEY,"
       " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
       " config_ids TEXT NOT NULL,"  // JSON array, in the user's order
       " title TEXT NOT NULL,"
       " message_count INTEGER NOT NULL DEFAULT 0,"
       " created_at TEXT NOT NULL,"
       " updated_at TEXT NOT NULL);"
       "CREATE INDEX arena_sessions_user ON arena_sessions(user_id, updated_at);"
       "CREATE TABLE arena_messages ("
       " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
       " id TEXT NOT NULL UNIQUE,"
       " session_id TEXT NOT NULL REFERENCES arena_sessions(id) ON DELETE CASCADE,"
       " role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),"
       " config_id TEXT NOT NULL DEFAULT '',"
       " content TEXT NOT NULL,"
       " metadata TEXT NOT NULL DEFAULT '{}',"
       " created_at TEXT NOT NULL);"
       "CREATE INDEX arena_messages_session ON arena_messages(session_id, seq);"},
      {6, "calendar_events",
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
      {7, "webhook_deliveries",
       "CREATE TABLE webhook_deliveries ("
       " source TEXT NOT NULL,"      // 'whatsapp'
       " message_id TEXT NOT NULL,"  // the sender's id of the delivered message
       " received_at TEXT NOT NULL,"
       " PRIMARY KEY (source, message_id));"},
      {8, "conversations",
       // `rid`/`seq` are stable integer keys for the FTS5 indexes (rowids of tables
       // without an INTEGER PRIMARY KEY may change on VACUUM); `id` is the public id.
       "CREATE TABLE conversations ("
       " rid INTEGER PRIMARY KEY AUTOINCREMENT,"
       " id TEXT NOT NULL UNIQUE,"
       " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
       " title TEXT NOT NULL DEFAULT '',"
       " config_id TEXT, folder_id TEXT,"
       " tags TEXT NOT NULL DEFAULT '[]',"  // JSON array of strings
       " pinned INTEGER NOT NULL DEFAULT 0,"
       " archived INTEGER NOT NULL DEFAULT 0,"
       " summary TEXT,"
       " system_prompt TEXT NOT NULL DEFAULT '',"
       " model TEXT NOT NULL DEFAULT '',"
       " message_count INTEGER NOT NULL DEFAULT 0,"
       " last_message_at TEXT,"
       " prompt_tokens INTEGER NOT NULL DEFAULT 0,"
       " completion_tokens INTEGER NOT NULL DEFAULT 0,"
       " total_tokens INTEGER NOT NULL DEFAULT 0,"
       " cost_usd REAL NOT NULL DEFAULT 0,"
       " created_at TEXT NOT NULL,"
       " updated_at TEXT NOT NULL);"
       "CREATE INDEX conversations_user ON conversations(user_id, updated_at);"
       "CREATE TABLE messages ("
       " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
       " id TEXT NOT NULL UNIQUE,"
       " conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
       " user_id TEXT NOT NULL,"
       " role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),"
       " content TEXT NOT NULL,"
       " status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'cancelled')),"
       " model TEXT,"
       " prompt_tokens INTEGER, completion_tokens INTEGER, total_tokens INTEGER,"
       " tokens_estimated INTEGER NOT NULL DEFAULT 0,"
       " generation_ms INTEGER, first_token_ms INTEGER,"
       " cost_usd REAL,"
       " finish_reason TEXT,"
       " edit_history TEXT NOT NULL DEFAULT '[]',"  // JSON array of {content, edited_at}
       " created_at TEXT NOT NULL,"
       " updated_at TEXT NOT NULL);"
       "CREATE INDEX messages_conversation ON messages(conversation_id, seq);"
       "CREATE VIRTUAL TABLE conversations_fts USING fts5(title, tokenize = 'unicode61 remove_diacritics 2');"
       "CREATE VIRTUAL TABLE messages_fts USING fts5(content, tokenize = 'unicode61 remove_diacritics 2');"
       "CREATE TRIGGER conversations_fts_ai AFTER INSERT ON conversations BEGIN"
       " INSERT INTO conversations_fts(rowid, title) VALUES (new.rid, new.title); END;"
       "CREATE TRIGGER conversations_fts_ad AFTER DELETE ON conversations BEGIN"
       " DELETE FROM conversations_fts WHERE rowid = old.rid; END;"
       "CREATE TRIGGER conversations_fts_au AFTER UPDATE OF title ON conversations BEGIN"
       " UPDATE conversations_fts SET title = new.title WHERE rowid = old.rid; END;"
       "CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN"
       " INSERT INTO messages_fts(rowid, content) VALUES (new.seq, new.content); END;"
       "CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN"
       " DELETE FROM messages_fts WHERE rowid = old.seq; END;"
       "CREATE TRIGGER messages_fts_au AFTER UPDATE OF content ON messages BEGIN"
       " UPDATE messages_fts SET content = new.content WHERE rowid = old.seq; END;"},
      {9, "usage_analytics_indexes",
       // The admin analytics read time windows of these tables (core/analytics).
       "CREATE INDEX messages_created ON messages(created_at);"
       "CREATE INDEX conversations_created ON conversations(created_at);"
       "CREATE INDEX users_created ON users(created_at);"},
      {10, "client_logs_unique_id",
       // A client log entry is identified by its id, so a retried batch stores nothing
       // twice (core/logs); copies stored before this keep their oldest row.
       "DELETE FROM client_logs WHERE seq NOT IN (SELECT MIN(seq) FROM client_logs GROUP BY id);"
       "CREATE UNIQUE INDEX client_logs_id ON client_logs(id);"},
      {11, "explicit_insertion_order",
       // Lists ordered by insertion read an explicit integer column instead of SQLite's
       // rowid (which PostgreSQL has not). Existing rows keep their rowid order; a new
       // row gets the next number from the trigger (writes are serialised here, so
       // MAX + 1 is unique), so the shared INSERTs leave the column out.
       "ALTER TABLE generated_images ADD COLUMN seq INTEGER;"
       "UPDATE generated_images SET seq = rowid;"
       "CREATE TRIGGER generated_images_seq AFTER INSERT ON generated_images WHEN new.seq IS NULL BEGIN"
       " UPDATE generated_images SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM generated_images)"
       " WHERE id = new.id; END;"
       "ALTER TABLE arena_sessions ADD COLUMN seq INTEGER;"
       "UPDATE arena_sessions SET seq = rowid;"
       "CREATE TRIGGER arena_sessions_seq AFTER INSERT ON arena_sessions WHEN new.seq IS NULL BEGIN"
       " UPDATE arena_sessions SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM arena_sessions)"
       " WHERE id = new.id; END;"},
  }};
  return kMigrations;
}

}  // namespace atrium::storage::sqlite
