// ImageService on a real SQLite database and a real blob directory, with a scripted
// backend: validation, ownership, history, favorites, deletion, and that a failed
// generation stores nothing.

#include "core/images/image_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "core/codec/base64.hpp"
#include "storage/files/file_blob_store.hpp"
#include "storage/migration.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::images {
namespace {

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDRpixels", 22);

class ScriptedBackend final : public ImageBackend {
 public:
  Result<ImageOutput> Generate(const ImageSpec& spec) override {
    last = spec;
    ++calls;
    if (fail)
      return Error(ErrorCode::kUnavailable, "The LLM upstream is unavailable").WithReason(Reason::kLlmUnavailable);
    return ImageOutput{bytes, ImageUsage{1}};
  }
  ImageSpec last;
  int calls = 0;
  bool fail = false;
  std::string bytes = kPng;
};

class ImageServiceTest : public ::testing::Test {
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
    blobs_ = std::make_unique<storage::files::FileBlobStore>(dir_.File("blobs"));
    service_ =
        std::make_unique<ImageService>(stores_->repos(), *blobs_, &backend_, std::vector<std::string>{"img/one"}, clock_, random_);
  }

  GeneratedImage Generate(const std::string& user, const std::string& prompt = "A sunset") {
    auto made = service_->Generate(user, {.model = "img/one", .prompt = prompt});
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().internal_message());
    clock_.Advance(std::chrono::seconds(1));
    return made.ok() ? made->first : GeneratedImage{};
  }

  std::int64_t Rows() {
    return storage::AsInt(db_->Query("SELECT COUNT(*) FROM generated_images")->rows[0][0]).value();
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  ScriptedBackend backend_;
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
  std::unique_ptr<storage::files::FileBlobStore> blobs_;
  std::unique_ptr<ImageService> service_;
};

TEST_F(ImageServiceTest, GeneratesStoresAndReadsBack) {
  const std::string ref = "data:image/png;base64," + Base64Encode(kPng);
  auto made = service_->Generate("ann", {.model = "img/one",
                                         .prompt = "A sunset",
                                         .negative_prompt = "blurry",
                                         .input_images = {ref, "https://example.com/a.png"}});
  ASSERT_TRUE(made.ok()) << made.error().internal_message();
  const GeneratedImage& g = made->first;
  EXPECT_EQ(made->second, kPng);
  EXPECT_EQ(std::tie(g.user_id, g.prompt, g.model_id, g.negative_prompt, g.mime),
            std::make_tuple("ann", "A sunset", "img/one", "blurry", "image/png"));
  EXPECT_EQ(g.input_images_count, 2);
  EXPECT_EQ(g.usage, ImageUsage{1});
  EXPECT_EQ(backend_.last.user_id, "ann");
  EXPECT_EQ(backend_.last.input_images.size(), 2u);
  EXPECT_TRUE(std::filesystem::exists(dir_.File("blobs/images/ann/" + g.id)));
  auto read = service_->Read("ann", g.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->second, kPng);
  EXPECT_EQ(service_->Read("bob", g.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->models(), std::vector<std::string>{"img/one"});
}

TEST_F(ImageServiceTest, BadSpecsNeverReachTheBackend) {
  const std::pair<ImageSpec, const char*> cases[] = {
      {{.model = "img/one", .prompt = "  "}, "prompt is required"},
      {{.model = "", .prompt = "p"}, "model is required"},
      {{.model = "img one", .prompt = "p"}, "model must not contain spaces or control characters"},
      {{.model = "m", .prompt = std::string(4001, 'p')}, "prompt must be at most 4000 characters"},
      {{.model = "m", .prompt = "p", .negative_prompt = std::string(2001, 'n')},
       "negative_prompt must be at most 2000 characters"},
      {{.model = "m", .prompt = "p", .input_images = std::vector<std::string>(15, "https://e.com/a.png")},
       "input_images: at most 14 images"},
      {{.model = "m", .prompt = "p", .input_images = {"https://e.com/a.png", "junk"}},
       "input_images[1] must be a base64 data URI (data:image/...;base64,...) or an http(s) URL"},
  };
  for (const auto& [spec, message] : cases) {
    auto r = service_->Generate("ann", spec);
    ASSERT_FALSE(r.ok()) << message;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().safe_message(), message);
  }
  EXPECT_EQ(backend_.calls, 0);
  EXPECT_EQ(Rows(), 0);
}

TEST_F(ImageServiceTest, FailuresStoreNothing) {
  backend_.fail = true;
  auto r = service_->Generate("ann", {.model = "img/one", .prompt = "p"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason(), Reason::kLlmUnavailable);
  backend_.fail = false;
  backend_.bytes = "<html>not an image</html>";
  r = service_->Generate("ann", {.model = "img/one", .prompt = "p"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason(), Reason::kLlmBadResponse);
  EXPECT_EQ(Rows(), 0);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("blobs/images/ann")));

  ImageService unconfigured(stores_->repos(), *blobs_, nullptr, {}, clock_, random_);
  r = unconfigured.Generate("ann", {.model = "img/one", .prompt = "p"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().reason(), Reason::kLlmNotConfigured);
}

TEST_F(ImageServiceTest, HistoryFavoritesAndDelete) {
  const auto a = Generate("ann", "first");
  const auto b = Generate("ann", "second");
  Generate("bob", "bob's");
  auto page = service_->History("ann", false, 20, 0);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->images.size(), 2u);
  EXPECT_EQ(page->images[0].id, b.id);  // newest first

  EXPECT_TRUE(*service_->ToggleFavorite("ann", a.id));
  EXPECT_EQ(service_->ToggleFavorite("bob", a.id).error().code(), ErrorCode::kNotFound);
  auto favorites = service_->History("ann", true, 20, 0);
  ASSERT_EQ(favorites->images.size(), 1u);
  EXPECT_EQ(favorites->images[0].id, a.id);
  EXPECT_FALSE(*service_->ToggleFavorite("ann", a.id));
  EXPECT_EQ(service_->History("ann", true, 20, 0)->total, 0);

  EXPECT_EQ(service_->Delete("bob", a.id).error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(service_->Delete("ann", a.id).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.File("blobs/images/ann/" + a.id)));
  EXPECT_EQ(service_->Delete("ann", a.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->History("ann", false, 20, 0)->total, 1);
  EXPECT_EQ(service_->History("bob", false, 20, 0)->total, 1);
}

}  // namespace
}  // namespace atrium::core::images
