// Both drivers' newest schemas hold the same migrations, tables, columns (with their
// nullability) and unique and primary keys. Full-text search differs by design: SQLite
// has FTS5 tables and triggers, PostgreSQL generated tsvector columns.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "storage/migration.hpp"
#include "storage/postgres/pg_database.hpp"
#include "storage/postgres/pg_schema.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/pg_test_database.hpp"
#include "support/temp_dir.hpp"

namespace atrium::storage {
namespace {

// table -> column -> "NOT NULL" or "NULL"
using Columns = std::map<std::string, std::map<std::string, std::string>>;

const std::set<std::string> kSearchOnly = {"title_tsv", "content_tsv", "search_tsv"};

std::vector<std::vector<Value>> Rows(Database& db, const std::string& sql) {
  auto r = db.Query(sql);
  if (!r) ADD_FAILURE() << sql << ": " << r.error().internal_message();
  return r ? r->rows : std::vector<std::vector<Value>>{};
}

Columns SqliteColumns(Database& db) {
  Columns out;
  for (const auto& t : Rows(db,
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                            " AND name NOT LIKE '%_fts%'")) {
    const std::string table = *AsText(t[0]);
    for (const auto& c : Rows(db, "SELECT name, \"notnull\", pk FROM pragma_table_info('" + table + "')")) {
      // An INTEGER PRIMARY KEY is never NULL, though SQLite does not declare it so.
      const bool not_null = AsInt(c[1]).value_or(0) != 0 || AsInt(c[2]).value_or(0) != 0;
      out[table][*AsText(c[0])] = not_null ? "NOT NULL" : "NULL";
    }
  }
  return out;
}

Columns PgColumns(Database& db) {
  Columns out;
  for (const auto& c :
       Rows(db,
            "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns"
            " WHERE table_schema = 'public'")) {
    const std::string column = *AsText(c[1]);
    if (kSearchOnly.contains(column)) continue;
    out[*AsText(c[0])][column] = *AsText(c[2]) == "NO" ? "NOT NULL" : "NULL";
  }
  return out;
}

// Every unique column set (primary keys and unique constraints or indexes), as
// "table(col,col)".
std::set<std::string> SqliteUniques(Database& db) {
  std::set<std::string> out;
  for (const auto& t : Rows(db,
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                            " AND name NOT LIKE '%_fts%'")) {
    const std::string table = *AsText(t[0]);
    std::string pk;
    for (const auto& c : Rows(db, "SELECT name FROM pragma_table_info('" + table + "') WHERE pk > 0 ORDER BY pk")) {
      pk += (pk.empty() ? "" : ",") + *AsText(c[0]);
    }
    if (!pk.empty()) out.insert(table + "(" + pk + ")");
    for (const auto& i : Rows(db, "SELECT name FROM pragma_index_list('" + table + "') WHERE \"unique\" = 1")) {
      std::string cols;
      for (const auto& c : Rows(db, "SELECT name FROM pragma_index_info('" + *AsText(i[0]) + "') ORDER BY seqno")) {
        cols += (cols.empty() ? "" : ",") + *AsText(c[0]);
      }
      out.insert(table + "(" + cols + ")");
    }
  }
  return out;
}

std::set<std::string> PgUniques(Database& db) {
  std::set<std::string> out;
  for (const auto& r : Rows(db,
                            "SELECT t.relname::text, string_agg(a.attname::text, ',' ORDER BY k.ord)"
                            " FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid"
                            " JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'"
                            " CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)"
                            " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum"
                            " WHERE x.indisunique GROUP BY x.indexrelid, t.relname")) {
    out.insert(*AsText(r[0]) + "(" + *AsText(r[1]) + ")");
  }
  return out;
}

TEST(PgSchemaParity, BothDriversHaveTheSameMigrationsTablesColumnsAndKeys) {
  atrium::testing::PgTestDatabase pg;
  if (pg.url().empty()) GTEST_SKIP() << "ATRIUM_TEST_POSTGRES_URL is not set";
  auto pg_db = postgres::PgDatabase::Open({.pool = {.url = pg.url(), .size = 1}});
  ASSERT_TRUE(pg_db) << pg_db.error().internal_message();
  ASSERT_TRUE(postgres::ApplyPgMigrations(**pg_db));

  atrium::testing::TempDir dir;
  auto sqlite_db = sqlite::SqliteDatabase::Open({dir.File("parity.db"), 1});
  ASSERT_TRUE(sqlite_db) << sqlite_db.error().internal_message();
  ASSERT_TRUE(ApplyMigrations(**sqlite_db, sqlite::SqliteMigrations()));

  const auto pg_migrations = postgres::PgMigrations();
  const auto sqlite_migrations = sqlite::SqliteMigrations();
  ASSERT_EQ(pg_migrations.size(), sqlite_migrations.size());
  for (std::size_t i = 0; i < pg_migrations.size(); ++i) {
    EXPECT_EQ(pg_migrations[i].version, sqlite_migrations[i].version);
    EXPECT_EQ(pg_migrations[i].name, sqlite_migrations[i].name);
  }
  Columns sqlite_columns = SqliteColumns(**sqlite_db);
  // SQLite's ALTER TABLE cannot add a NOT NULL column without a default: migration 11's
  // seq columns are nullable there and filled by a trigger on every insert.
  for (const char* table : {"generated_images", "arena_sessions"}) {
    EXPECT_EQ(sqlite_columns[table]["seq"], "NULL");
    sqlite_columns[table]["seq"] = "NOT NULL";
  }
  EXPECT_EQ(PgColumns(**pg_db), sqlite_columns);
  EXPECT_EQ(PgUniques(**pg_db), SqliteUniques(**sqlite_db));
}

}  // namespace
}  // namespace atrium::storage
