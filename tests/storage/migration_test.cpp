#include "storage/migration.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/temp_dir.hpp"

namespace atrium::storage {
namespace {

using core::ErrorCode;

const Migration kOne{1, "create_a", "CREATE TABLE a (x INTEGER);"};
const Migration kTwo{2, "create_b", "CREATE TABLE b (y TEXT); INSERT INTO b VALUES ('seed');"};
const Migration kThree{3, "add_c", "ALTER TABLE a ADD COLUMN c TEXT;"};
// Creates a table, then fails: neither the table nor a bookkeeping row may remain.
const Migration kBroken{2, "broken", "CREATE TABLE half (z INTEGER); INSERT INTO missing VALUES (1);"};

class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = sqlite::SqliteDatabase::Open({dir_.File("m.db"), 1});
    ASSERT_TRUE(db.ok()) << db.error().internal_message();
    db_ = std::move(db).value();
  }

  int Version() {
    auto v = SchemaVersion(*db_);
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : -1;
  }

  bool TableExists(const std::string& name) {
    auto rows = db_->Query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", {Value{name}});
    EXPECT_TRUE(rows.ok());
    return rows.ok() && AsInt(rows->rows[0][0]) == 1;
  }

  std::vector<std::string> RecordedNames() {
    auto rows = db_->Query("SELECT name FROM schema_migrations ORDER BY version");
    EXPECT_TRUE(rows.ok());
    std::vector<std::string> out;
    if (rows.ok()) {
      for (const auto& r : rows->rows) out.push_back(AsText(r[0]).value_or("?"));
    }
    return out;
  }

  core::Result<MigrationReport> Apply(std::vector<Migration> list) { return ApplyMigrations(*db_, list); }

  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteDatabase> db_;
};

TEST_F(MigrationTest, EmptyDatabaseIsVersionZero) { EXPECT_EQ(Version(), 0); }

TEST_F(MigrationTest, AppliesEveryMigrationFromEmpty) {
  auto report = Apply({kOne, kTwo});
  ASSERT_TRUE(report.ok()) << report.error().internal_message();
  EXPECT_EQ(report->from_version, 0);
  EXPECT_EQ(report->to_version, 2);
  EXPECT_EQ(report->applied, (std::vector<std::string>{"create_a", "create_b"}));
  EXPECT_EQ(Version(), 2);
  EXPECT_TRUE(TableExists("a"));
  EXPECT_TRUE(TableExists("b"));
  EXPECT_EQ(RecordedNames(), (std::vector<std::string>{"create_a", "create_b"}));
}

TEST_F(MigrationTest, SecondRunAppliesNothing) {
  ASSERT_TRUE(Apply({kOne, kTwo}).ok());
  auto again = Apply({kOne, kTwo});
  ASSERT_TRUE(again.ok()) << again.error().internal_message();
  EXPECT_EQ(again->from_version, 2);
  EXPECT_EQ(again->to_version, 2);
  EXPECT_TRUE(again->applied.empty());
  auto seeded = db_->Query("SELECT COUNT(*) FROM b");
  ASSERT_TRUE(seeded.ok());
  EXPECT_EQ(seeded->rows[0][0], Value{std::int64_t{1}});  // the seed row was not inserted twice
}

TEST_F(MigrationTest, AppliesOnlyNewerMigrations) {
  ASSERT_TRUE(Apply({kOne}).ok());
  auto report = Apply({kOne, kTwo, kThree});
  ASSERT_TRUE(report.ok()) << report.error().internal_message();
  EXPECT_EQ(report->from_version, 1);
  EXPECT_EQ(report->to_version, 3);
  EXPECT_EQ(report->applied, (std::vector<std::string>{"create_b", "add_c"}));
  EXPECT_EQ(Version(), 3);
}

TEST_F(MigrationTest, FailingMigrationRollsBackEntirely) {
  ASSERT_TRUE(Apply({kOne}).ok());
  auto report = Apply({kOne, kBroken, kThree});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(report.error().safe_message(), "migration 2 (broken) failed");
  EXPECT_EQ(report.error().internal_message(), "exec: no such table: missing");
  EXPECT_EQ(Version(), 1);
  EXPECT_FALSE(TableExists("half"));
  EXPECT_EQ(RecordedNames(), (std::vector<std::string>{"create_a"}));
  // Migration 3 came after the failure and was not attempted.
  auto columns = db_->Query("SELECT name FROM pragma_table_info('a') ORDER BY cid");
  ASSERT_TRUE(columns.ok());
  EXPECT_EQ(columns->size(), 1u);
}

TEST_F(MigrationTest, EarlierMigrationsStayWhenALaterOneFails) {
  auto report = Apply({kOne, kBroken});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().safe_message(), "migration 2 (broken) failed");
  EXPECT_EQ(Version(), 1);  // each migration is its own transaction
  EXPECT_TRUE(TableExists("a"));
  EXPECT_FALSE(TableExists("half"));
}

TEST_F(MigrationTest, FailureCodeFollowsTheDatabaseError) {
  const Migration dup{2, "dup", "INSERT INTO u VALUES (1); INSERT INTO u VALUES (1);"};
  ASSERT_TRUE(Apply({{1, "u", "CREATE TABLE u (k INTEGER PRIMARY KEY);"}}).ok());
  auto report = Apply({{1, "u", "CREATE TABLE u (k INTEGER PRIMARY KEY);"}, dup});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(report.error().safe_message(), "migration 2 (dup) failed");
  EXPECT_EQ(report.error().internal_message(), "exec: UNIQUE constraint failed: u.k");
  auto rows = db_->Query("SELECT COUNT(*) FROM u");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->rows[0][0], Value{std::int64_t{0}});
}

TEST_F(MigrationTest, RefusesADatabaseNewerThanTheBinary) {
  ASSERT_TRUE(Apply({kOne, kTwo, kThree}).ok());
  auto report = Apply({kOne, kTwo});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(report.error().safe_message(), "database schema version 3 is newer than this binary knows (2)");
  EXPECT_EQ(Version(), 3);

  auto none = Apply({});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().safe_message(), "database schema version 3 is newer than this binary knows (0)");
}

TEST_F(MigrationTest, RefusesOutOfOrderList) {
  auto report = Apply({kTwo, kOne});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(report.error().safe_message(), "migrations out of order at version 1");
  EXPECT_EQ(Version(), 0);
  EXPECT_FALSE(TableExists("a"));
  EXPECT_FALSE(TableExists("b"));
}

TEST_F(MigrationTest, RefusesOutOfOrderListWithoutApplyingAnyOfIt) {
  // The last entry is out of order; nothing before it may be applied either, or the
  // skipped version would never run (a later, sorted list would see it as applied).
  auto report = Apply({kOne, kThree, kTwo});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().safe_message(), "migrations out of order at version 2");
  EXPECT_EQ(Version(), 0);
  EXPECT_FALSE(TableExists("a"));
}

TEST_F(MigrationTest, RefusesDuplicateAndNonPositiveVersions) {
  auto dup = Apply({kOne, {1, "again", "CREATE TABLE z (q);"}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().safe_message(), "migrations out of order at version 1");
  auto zero = Apply({{0, "zero", "CREATE TABLE z (q);"}});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().safe_message(), "migrations out of order at version 0");
  EXPECT_EQ(Version(), 0);
  EXPECT_FALSE(TableExists("z"));
}

TEST_F(MigrationTest, SqliteSchemaAppliesCleanly) {
  const auto migrations = sqlite::SqliteMigrations();
  ASSERT_FALSE(migrations.empty());
  int previous = 0;
  for (const auto& m : migrations) {
    EXPECT_GT(m.version, previous) << m.name;
    previous = m.version;
  }
  EXPECT_EQ(migrations.front().version, 1);

  auto report = ApplyMigrations(*db_, migrations);
  ASSERT_TRUE(report.ok()) << report.error().internal_message();
  EXPECT_EQ(report->from_version, 0);
  EXPECT_EQ(report->to_version, migrations.back().version);
  EXPECT_EQ(report->applied.size(), migrations.size());
  EXPECT_EQ(report->applied.front(), "client_logs");

  auto columns = db_->Query("SELECT name FROM pragma_table_info('client_logs') ORDER BY cid");
  ASSERT_TRUE(columns.ok());
  std::vector<std::string> names;
  for (const auto& r : columns->rows) names.push_back(AsText(r[0]).value_or("?"));
  EXPECT_EQ(names, (std::vector<std::string>{"seq", "id", "timestamp", "level", "label", "message", "file", "function",
                                             "line", "metadata", "client_id", "client_name", "received_at"}));

  auto again = ApplyMigrations(*db_, migrations);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->applied.empty());
}

TEST(MigrationMemoryTest, InMemoryDatabaseMigrates) {
  auto db = sqlite::SqliteDatabase::Open({":memory:", 2});
  ASSERT_TRUE(db.ok());
  auto report = ApplyMigrations(**db, sqlite::SqliteMigrations());
  ASSERT_TRUE(report.ok()) << report.error().internal_message();
  auto v = SchemaVersion(**db);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, sqlite::SqliteMigrations().back().version);
}

}  // namespace
}  // namespace atrium::storage
