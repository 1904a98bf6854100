#pragma once
// A migrated SQLite database on a real file with two users, for the chat tests.

#include <gtest/gtest.h>

#include <memory>

#include "core/chat/conversation_store.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::chat {

inline constexpr const char* kAlice = "00000000-0000-4000-8000-00000000a11c";
inline constexpr const char* kBob = "00000000-0000-4000-8000-000000000b0b";

class ChatDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 2});
    ASSERT_TRUE(db.ok()) << db.error().internal_message();
    db_ = std::move(db).value();
    auto migrated = storage::ApplyMigrations(*db_, storage::sqlite::SqliteMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().internal_message();
    for (const char* id : {kAlice, kBob}) {
      auto ins = db_->Execute(
          "INSERT INTO users (id, email, email_lower, password_hash, created_at, updated_at)"
          " VALUES (?, ?, ?, 'x', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
          {std::string(id), std::string(id) + "@example.com", std::string(id) + "@example.com"});
      ASSERT_TRUE(ins.ok()) << ins.error().internal_message();
    }
    stores_ = storage::sqlite::OpenRepositories(*db_, clock_, random_);
    store_ = &stores_->repos().conversations;
  }

  std::int64_t Count(const std::string& sql) {
    auto rows = db_->Query(sql);
    EXPECT_TRUE(rows.ok());
    return storage::AsInt(rows->rows[0][0]).value_or(-1);
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  core::SecureRandom random_;
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
  ConversationStore* store_ = nullptr;  // owned by stores_
};

}  // namespace atrium::core::chat
