#include "core/arena/arena_service.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "storage/migration.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::arena {
namespace {

class ArenaServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 2});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, storage::sqlite::SqliteMigrations()).ok());
    for (const char* id : {"ann", "bob"}) {
      ASSERT_TRUE(db_->Execute("INSERT INTO users(id, email, email_lower, password_hash, created_at, updated_at)"
                               " VALUES (?,?,?,'x','t','t')",
                               {std::string(id), std::string(id) + "@e.com", std::string(id) + "@e.com"})
                      .ok());
    }
    stores_ = storage::sqlite::OpenRepositories(*db_, clock_, random_);
    configs_ = std::make_unique<assistants::AssistantConfigService>(stores_->repos(), clock_, random_);
    arena_ = std::make_unique<ArenaService>(stores_->repos(), *configs_, clock_, random_);
    for (const char* name : {"one", "two", "three"}) ids_.push_back(MakeConfig("ann", name));
  }

  std::string MakeConfig(const std::string& owner, const std::string& name) {
    assistants::ConfigFields f;
    f.name = name;
    f.model_id = "m/" + name;
    auto made = configs_->Create(owner, f);
    EXPECT_TRUE(made.ok());
    return made.ok() ? made->id : "";
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
  std::unique_ptr<assistants::AssistantConfigService> configs_;
  std::unique_ptr<ArenaService> arena_;
  std::vector<std::string> ids_;
};

TEST_F(ArenaServiceTest, MessagesAreAppendedCountedAndOwned) {
  auto s = arena_->Create("ann", {ids_[0], ids_[1]}, "");
  ASSERT_TRUE(s.ok()) << s.error().internal_message();
  EXPECT_EQ(s->title, "Arena: one vs two");
  ASSERT_TRUE(
      arena_->Append("ann", {.session_id = s->id, .role = "user", .content = "What is quantum computing?"}).ok());
  auto answer = arena_->Append("ann", {.session_id = s->id,
                                       .role = "assistant",
                                       .config_id = ids_[1],
                                       .content = "Quantum computing is...",
                                       .metadata_json = R"({"tokens": 5})"});
  ASSERT_TRUE(answer.ok());
  EXPECT_FALSE(answer->id.empty());
  EXPECT_EQ(arena_->Append("bob", {.session_id = s->id, .role = "user", .content = "x"}).error().code(),
            ErrorCode::kNotFound);

  auto detail = arena_->Detail("ann", s->id);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->session.message_count, 2);
  ASSERT_EQ(detail->messages.size(), 2u);
  EXPECT_EQ(detail->messages[0].role, "user");
  EXPECT_EQ(detail->messages[1].config_id, ids_[1]);
  EXPECT_EQ(detail->messages[1].metadata_json, R"({"tokens": 5})");
  EXPECT_EQ(detail->configs.size(), 2u);
  EXPECT_EQ(arena_->Detail("bob", s->id).error().code(), ErrorCode::kNotFound);

  // A config deleted since is no longer shown; its answers stay.
  ASSERT_TRUE(configs_->Delete("ann", ids_[1]).ok());
  detail = arena_->Detail("ann", s->id);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->configs.size(), 1u);
  EXPECT_EQ(detail->messages.size(), 2u);

  ASSERT_TRUE(arena_->Delete("ann", s->id).ok());
  auto left = db_->Query("SELECT COUNT(*) FROM arena_messages");
  EXPECT_EQ(storage::AsInt(left->rows[0][0]), 0);  // the messages went with the session
}

TEST_F(ArenaServiceTest, ConfigsMustBeVisibleAndTwoToFour) {
  const std::string bobs = MakeConfig("bob", "private");
  auto r = arena_->Create("ann", {ids_[0], bobs}, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().safe_message(), "Config not found");
  EXPECT_EQ(arena_->Create("ann", {ids_[0]}, "t").error().reason(), Reason::kArenaConfigCount);
  EXPECT_EQ(arena_->Create("ann", {ids_[0], ids_[0], ids_[0]}, "t").error().reason(), Reason::kArenaConfigCount);
  EXPECT_TRUE(arena_->Create("ann", {ids_[0], ids_[1], ids_[2]}, "t").ok());
  EXPECT_EQ(arena_->List("ann", 20, 0)->total, 1);
  EXPECT_EQ(arena_->List("bob", 20, 0)->total, 0);
}

}  // namespace
}  // namespace atrium::core::arena
