// A database made by the schema before migration 11 upgrades in place: its images and
// arena sessions keep their order, and new rows come after them.

#include <gtest/gtest.h>

#include <span>

#include "storage/migration.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/temp_dir.hpp"

namespace atrium::storage::sqlite {
namespace {

TEST(SqliteUpgradeTest, InsertionOrderSurvivesMigrationEleven) {
  testing::TempDir dir;
  auto db = SqliteDatabase::Open({dir.File("old.db"), 1});
  ASSERT_TRUE(db.ok());
  const auto all = SqliteMigrations();
  ASSERT_GE(all.size(), 11u);
  ASSERT_TRUE(ApplyMigrations(**db, all.subspan(0, 10)).ok());
  ASSERT_TRUE((*db)
                  ->Execute("INSERT INTO users(id, email, email_lower, password_hash, created_at, updated_at)"
                            " VALUES ('u', 'u@x', 'u@x', 'h', 't', 't')")
                  .ok());
  for (const char* id : {"b", "a"}) {
    ASSERT_TRUE((*db)
                    ->Execute("INSERT INTO generated_images(id, user_id, prompt, model_id, mime, created_at)"
                              " VALUES (?, 'u', 'p', 'm', 'image/png', 'same')",
                              {std::string(id)})
                    .ok());
    ASSERT_TRUE((*db)
                    ->Execute("INSERT INTO arena_sessions(id, user_id, config_ids, title, created_at, updated_at)"
                              " VALUES (?, 'u', '[]', 't', 'same', 'same')",
                              {std::string(id)})
                    .ok());
  }
  auto report = ApplyMigrations(**db, all);
  ASSERT_TRUE(report.ok()) << report.error().internal_message();
  EXPECT_EQ(report->from_version, 10);
  EXPECT_EQ(report->to_version, static_cast<int>(all.back().version));
  ASSERT_TRUE((*db)
                  ->Execute("INSERT INTO generated_images(id, user_id, prompt, model_id, mime, created_at)"
                            " VALUES ('c', 'u', 'p', 'm', 'image/png', 'same')")
                  .ok());
  ASSERT_TRUE((*db)
                  ->Execute("INSERT INTO arena_sessions(id, user_id, config_ids, title, created_at, updated_at)"
                            " VALUES ('c', 'u', '[]', 't', 'same', 'same')")
                  .ok());
  for (const char* table : {"generated_images", "arena_sessions"}) {
    auto rows = (*db)->Query(std::string("SELECT id FROM ") + table + " ORDER BY seq");
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 3u) << table;
    EXPECT_EQ(AsText(rows->rows[0][0]), "b") << table;
    EXPECT_EQ(AsText(rows->rows[1][0]), "a") << table;
    EXPECT_EQ(AsText(rows->rows[2][0]), "c") << table;
  }
  auto applied = (*db)->Query("SELECT applied_at FROM schema_migrations WHERE version = 11");
  ASSERT_TRUE(applied.ok());
  ASSERT_EQ(applied->size(), 1u);
  EXPECT_EQ(AsText(applied->rows[0][0]).value_or("").size(), 20u);  // RFC 3339, to the second
}

}  // namespace
}  // namespace atrium::storage::sqlite
