// AssistantConfigService on a real SQLite database: visibility rules, the gallery,
// bookmark and use counters, templates.

#include "core/assistants/assistant_config_service.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "storage/migration.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::assistants {
namespace {

class AssistantConfigServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 2});
    ASSERT_TRUE(db.ok()) << db.error().internal_message();
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, storage::sqlite::SqliteMigrations()).ok());
    for (const char* id : {"ann", "bob", "root"}) {
      auto r = db_->Execute(
          "INSERT INTO users(id, email, email_lower, password_hash, created_at, updated_at) VALUES (?,?,?,'x','t','t')",
          {std::string(id), std::string(id) + "@example.com", std::string(id) + "@example.com"});
      ASSERT_TRUE(r.ok()) << r.error().internal_message();
    }
    stores_ = storage::sqlite::OpenRepositories(*db_, clock_, random_);
    service_ = std::make_unique<AssistantConfigService>(stores_->repos(), clock_, random_);
  }

  AssistantConfig Make(const std::string& owner, const std::string& name, std::vector<std::string> tags = {},
                       std::string model = "m/one") {
    ConfigFields f;
    f.name = name;
    f.model_id = std::move(model);
    f.description = "about " + name;
    f.tags = std::move(tags);
    auto made = service_->Create(owner, f);
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().internal_message());
    clock_.Advance(std::chrono::seconds(1));  // distinct created_at for ordering
    return made.ok() ? *made : AssistantConfig{};
  }

  static void ExpectNotFound(const Result<AssistantConfig>& r) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
    EXPECT_EQ(r.error().safe_message(), "Config not found");
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
  std::unique_ptr<AssistantConfigService> service_;
};

TEST_F(AssistantConfigServiceTest, PrivateConfigsAreTheOwnersAlone) {
  const auto c = Make("ann", "Mine");
  EXPECT_TRUE(service_->Get("ann", c.id).ok());
  ExpectNotFound(service_->Get("bob", c.id));
  ConfigFields rename;
  rename.name = "Stolen";
  ExpectNotFound(service_->Update("bob", c.id, rename));
  ExpectNotFound(service_->SetPublic("bob", c.id, true));
  ExpectNotFound(service_->Duplicate("bob", c.id, std::nullopt));
  ExpectNotFound(service_->GetShared(c.id));
  EXPECT_EQ(service_->Delete("bob", c.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->Save("bob", c.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->Get("ann", c.id)->name, "Mine");
  EXPECT_EQ(service_->ListOwned("bob", 50, 0)->total, 0);
  EXPECT_EQ(*service_->CountOwned("ann"), 1);
}

TEST_F(AssistantConfigServiceTest, PublishingSharesAndBookmarksCount) {
  const auto c = Make("ann", "Shared");
  ASSERT_EQ(service_->SetPublic("ann", c.id, true)->visibility, Visibility::kPublic);
  EXPECT_TRUE(service_->Get("bob", c.id).ok());
  ASSERT_TRUE(service_->Save("bob", c.id).ok());
  ASSERT_TRUE(service_->Save("bob", c.id).ok());  // idempotent: counted once
  ASSERT_TRUE(service_->Save("root", c.id).ok());
  EXPECT_EQ(service_->GetShared(c.id)->saves_count, 2);
  ASSERT_EQ(service_->Saved("bob")->size(), 1u);
  ASSERT_TRUE(service_->Unsave("bob", c.id).ok());
  ASSERT_TRUE(service_->Unsave("bob", c.id).ok());
  EXPECT_EQ(service_->GetShared(c.id)->saves_count, 1);
  EXPECT_TRUE(service_->Saved("bob")->empty());

  auto copy = service_->Use("bob", c.id);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->owner_id, "bob");
  EXPECT_EQ(copy->visibility, Visibility::kPrivate);
  EXPECT_EQ(copy->uses_count, 0);
  EXPECT_EQ(service_->GetShared(c.id)->uses_count, 1);

  // Made private again: gone from the gallery and from bookmarks, a bookmark still removable.
  ASSERT_TRUE(service_->SetPublic("ann", c.id, false).ok());
  EXPECT_TRUE(service_->Saved("root")->empty());
  EXPECT_TRUE(service_->Unsave("root", c.id).ok());
  ExpectNotFound(service_->Use("bob", c.id));
}

TEST_F(AssistantConfigServiceTest, GalleryFiltersAndSorts) {
  const auto a = Make("ann", "Alpha translator", {"language"}, "m/a");
  const auto b = Make("ann", "Beta poet", {"writing", "fun"}, "m/b");
  const auto hidden = Make("ann", "Gamma private", {"writing"});
  for (const auto& c : {a, b}) ASSERT_TRUE(service_->SetPublic("ann", c.id, true).ok());
  ASSERT_TRUE(service_->Save("bob", b.id).ok());
  ASSERT_TRUE(service_->Use("bob", a.id).ok());
  ASSERT_TRUE(service_->Use("root", a.id).ok());

  auto ids = [&](const GalleryQuery& q) {
    std::vector<std::string> out;
    auto page = service_->Browse(q);
    EXPECT_TRUE(page.ok());
    for (const auto& c : page->items) out.push_back(c.id);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({}), (V{a.id, b.id}));  // by uses
  EXPECT_EQ(ids({.sort = GallerySort::kSaves}), (V{b.id, a.id}));
  EXPECT_EQ(ids({.sort = GallerySort::kNewest}), (V{b.id, a.id}));
  EXPECT_EQ(ids({.search = "TRANSLATOR"}), (V{a.id}));
  EXPECT_EQ(ids({.search = "about beta"}), (V{b.id}));  // the description
  EXPECT_EQ(ids({.search = "%"}), V{});                 // LIKE wildcards are literal
  EXPECT_EQ(ids({.tags = {"fun", "nope"}}), (V{b.id}));
  EXPECT_EQ(ids({.model_id = "m/a"}), (V{a.id}));
  auto page = service_->Browse({.limit = 1, .offset = 1});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, b.id);
  (void)hidden;
}

TEST_F(AssistantConfigServiceTest, DuplicateNamesTheCopy) {
  const auto c = Make("ann", std::string(95, 'x'));
  auto copy = service_->Duplicate("ann", c.id, std::nullopt);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->name, "Copy of " + std::string(92, 'x'));  // cut to 100 characters
  auto named = service_->Duplicate("ann", c.id, std::string("Mine too"));
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->name, "Mine too");
  auto bad = service_->Duplicate("ann", c.id, std::string(""));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->ListOwned("ann", 50, 0)->total, 3);
}

TEST_F(AssistantConfigServiceTest, TemplatesAreSeparateFromOwnedConfigs) {
  ConfigFields f;
  f.name = "Template";
  f.model_id = "m/t";
  auto t = service_->CreateTemplate("root", f);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->visibility, Visibility::kTemplate);
  EXPECT_EQ(service_->ListOwned("root", 50, 0)->total, 0);
  EXPECT_EQ(service_->ListTemplates(50, 0)->total, 1);
  EXPECT_TRUE(service_->Browse({})->items.empty());  // not in the public gallery list
  ConfigFields rename;
  rename.name = "Renamed";
  ExpectNotFound(service_->Update("root", t->id, rename));  // not through the owner's routes
  auto renamed = service_->UpdateTemplate(t->id, rename);
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->name, "Renamed");
  EXPECT_TRUE(service_->Use("bob", t->id).ok());
  const auto own = Make("root", "Own");
  auto wrong = service_->UpdateTemplate(own.id, rename);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().safe_message(), "Template not found");
  ASSERT_TRUE(service_->DeleteTemplate(t->id).ok());
  EXPECT_EQ(service_->DeleteTemplate(t->id).error().safe_message(), "Template not found");
}

// The step an admin route adds (its audit entry) commits with the template change or
// takes it back: a failing step leaves no template made, renamed or deleted.
TEST_F(AssistantConfigServiceTest, AFailingStepBesideATemplateChangeUndoesIt) {
  const auto fail = [](persistence::UnitOfWork&, const AssistantConfig&) -> Result<void> {
    return Error(ErrorCode::kUnavailable, "audit down");
  };
  ConfigFields f;
  f.name = "Template";
  f.model_id = "m/t";
  auto refused = service_->CreateTemplate("root", f, fail);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().safe_message(), "audit down");
  EXPECT_EQ(service_->ListTemplates(50, 0)->total, 0);

  std::string seen;
  auto t = service_->CreateTemplate("root", f, [&](persistence::UnitOfWork&, const AssistantConfig& c) -> Result<void> {
    seen = c.id;
    return Ok{};
  });
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(seen, t->id);  // the step sees the stored template, with its id
  ConfigFields rename;
  rename.name = "Renamed";
  EXPECT_FALSE(service_->UpdateTemplate(t->id, rename, fail).ok());
  EXPECT_EQ(service_->ListTemplates(50, 0)->items.at(0).name, "Template");
  EXPECT_FALSE(service_->DeleteTemplate(t->id, [](persistence::UnitOfWork&) -> Result<void> {
                  return Error(ErrorCode::kUnavailable, "audit down");
                }).ok());
  EXPECT_EQ(service_->ListTemplates(50, 0)->total, 1);
}

}  // namespace
}  // namespace atrium::core::assistants
