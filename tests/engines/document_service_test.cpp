// DocumentService and the processing job on a real SQLite database, a real blob
// directory and the real extractors: an upload taken from the middle of a larger file
// (as from a spooled multipart body), checked by its bytes, processed to ready with
// pages, chunks and language; refusals that leave nothing behind; a document without
// text failing with its reason; reindex revisions; delete; and owner scoping.

#include "core/documents/document_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "core/documents/process_document_job.hpp"
#include "core/jobs/job_queue.hpp"
#include "engines/documents/document_extractor.hpp"
#include "engines/documents/textcat_language.hpp"
#include "storage/files/file_blob_store.hpp"
#include "storage/migration.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/pdf_writer.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::documents {
namespace {

// A JobContext for one attempt run in the test's thread.
class TestContext final : public jobs::JobContext {
 public:
  explicit TestContext(jobs::Job job) : job_(std::move(job)) {}
  const jobs::Job& job() const override { return job_; }
  bool Progress(const jobs::JobProgress& progress) override {
    progress_.push_back(progress);
    return true;
  }
  bool stopping() const override { return false; }
  std::vector<jobs::JobProgress> progress_;

 private:
  jobs::Job job_;
};

const std::string kPrefix = "--boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\n";
const std::string kSuffix = "\r\n--boundary--\r\n";

class DocumentServiceTest : public ::testing::Test {
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
    auto language = engines::documents::TextcatLanguage::Create();
    ASSERT_TRUE(language.ok());
    language_ = std::move(language).value();
    queue_ = std::make_unique<jobs::JobQueue>(stores_->repos().transactions, stores_->repos().jobs, clock_, random_);
    Reopen({});
  }

  void Reopen(DocumentOptions options) {
    service_ = std::make_unique<DocumentService>(stores_->repos().documents, *blobs_, extractor_, *queue_, clock_,
                                                 random_, options);
    job_ = std::make_unique<ProcessDocumentJob>(stores_->repos().documents, *blobs_, extractor_, language_.get(),
                                                clock_, random_, ChunkOptions{80, 10});
  }

  // `bytes` framed like a multipart part inside a larger file; the upload is its range.
  UploadedFile Spool(const std::string& bytes, const std::string& name) {
    const auto path = dir_.File("spool-" + std::to_string(++spooled_));
    std::ofstream(path, std::ios::binary) << kPrefix << bytes << kSuffix;
    return UploadedFile{path, kPrefix.size(), bytes.size(), name};
  }

  std::vector<jobs::Job> Queued() {
    auto jobs = queue_->List({.kind = std::string(kProcessJobKind), .state = jobs::JobState::kQueued});
    EXPECT_TRUE(jobs.ok());
    return jobs.ok() ? *jobs : std::vector<jobs::Job>{};
  }

  // Runs the queued processing job for `revision` of `id` once.
  std::string Process(const std::string& id, std::int64_t revision = 1, int attempts = 1) {
    for (auto& job : Queued()) {
      const auto request = DecodeProcessRequest(job.payload);
      if (!request || request->document_id != id || request->revision != revision) continue;
      job.attempts = attempts;
      TestContext context(job);
      auto r = job_->Run(context);
      EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().internal_message());
      last_progress_ = context.progress_;
      return r.ok() ? *r : "error";
    }
    ADD_FAILURE() << "no queued job for " << id << " revision " << revision;
    return "";
  }

  std::size_t BlobFiles() {
    std::size_t n = 0;
    if (!std::filesystem::exists(dir_.File("blobs"))) return 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_.File("blobs"))) n += e.is_regular_file();
    return n;
  }

  template <typename R>
  void ExpectRefused(const R& r, ErrorCode code, Reason reason) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), code) << r.error().internal_message();
    EXPECT_EQ(r.error().reason(), reason) << r.error().internal_message();
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  engines::documents::DocumentExtractor extractor_;
  std::unique_ptr<engines::documents::TextcatLanguage> language_;
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
  std::unique_ptr<storage::files::FileBlobStore> blobs_;
  std::unique_ptr<jobs::JobQueue> queue_;
  std::unique_ptr<DocumentService> service_;
  std::unique_ptr<ProcessDocumentJob> job_;
  std::vector<jobs::JobProgress> last_progress_;
  int spooled_ = 0;
};

const std::vector<std::vector<std::string>> kPages = {
    {"Project requirements", "The system must answer every request within one second.",
     "It keeps a record of every order placed by customers."},
    {"Deployment", "The service runs on two machines behind a load balancer.",
     "Backups are taken every night and kept for thirty days."}};

TEST_F(DocumentServiceTest, APdfUploadIsProcessedToReadyWithPagesAndChunks) {
  const std::string pdf = testing::MakePdf(kPages, "Requirements", "Jane Doe");
  DocumentMetadata meta;
  meta.tags = {"project", "requirements", "project"};
  auto up = service_->Upload("ann", Spool(pdf, "C:\\Users\\ann\\Project Requirements.pdf"), meta);
  ASSERT_TRUE(up.ok()) << up.error().internal_message();
  EXPECT_EQ(up->status, DocumentStatus::kProcessing);
  EXPECT_EQ(up->original_name, "Project Requirements.pdf");
  EXPECT_EQ(up->filename.rfind("project_requirements_", 0), 0u) << up->filename;
  EXPECT_EQ(up->filename.substr(up->filename.size() - 4), ".pdf");
  EXPECT_EQ(up->format, DocumentFormat::kPdf);
  EXPECT_EQ(up->size, pdf.size());
  EXPECT_EQ(up->metadata.tags, (std::vector<std::string>{"project", "requirements"}));
  // The stored blob is exactly the part's bytes, not the framing around it.
  std::ifstream stored(*blobs_->LocalPath(up->blob_key), std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(stored), {}), pdf);

  ASSERT_EQ(Queued().size(), 1u);
  EXPECT_EQ(Queued()[0].owner, "ann");
  EXPECT_EQ(Process(up->id), "ready");
  ASSERT_FALSE(last_progress_.empty());
  EXPECT_EQ(last_progress_.back().done, last_progress_.back().total);

  auto got = service_->Get("ann", up->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->document.status, DocumentStatus::kReady);
  EXPECT_EQ(got->document.page_count, 2);
  EXPECT_EQ(got->document.language, "en");
  EXPECT_EQ(got->document.metadata.title, "Requirements");  // from the file: none given
  EXPECT_EQ(got->document.metadata.author, "Jane Doe");
  ASSERT_TRUE(got->document.processed_at.has_value());
  ASSERT_GE(got->chunks.size(), 2u);
  EXPECT_EQ(got->document.chunk_count, static_cast<std::int64_t>(got->chunks.size()));
  EXPECT_EQ(got->chunks.front().page, 1);
  EXPECT_EQ(got->chunks.back().page, 2);
  for (std::size_t i = 0; i < got->chunks.size(); ++i) EXPECT_EQ(got->chunks[i].index, static_cast<int>(i));

  // Its chunks are found by full text, the owner's only.
  auto hits = stores_->repos().documents.MatchChunks("ann", "backups nightly", 5);
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_NE((*hits)[0].chunk.content.find("Backups"), std::string::npos) << (*hits)[0].chunk.content;
  EXPECT_TRUE(stores_->repos().documents.MatchChunks("bob", "backups", 5)->empty());
  ExpectRefused(service_->Get("bob", up->id), ErrorCode::kNotFound, Reason::kDocumentNotFound);
  ExpectRefused(service_->Delete("bob", up->id), ErrorCode::kNotFound, Reason::kDocumentNotFound);
  ExpectRefused(service_->Reindex("bob", up->id), ErrorCode::kNotFound, Reason::kDocumentNotFound);
}

TEST_F(DocumentServiceTest, RefusedUploadsLeaveNothingBehind) {
  ExpectRefused(service_->Upload("ann", Spool(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "a.pdf"), {}),
                ErrorCode::kInvalidArgument, Reason::kUnsupportedDocument);
  std::string cut = testing::MakePdf(kPages, "t", "a");
  cut.resize(cut.size() / 2);
  ExpectRefused(service_->Upload("ann", Spool(cut, "cut.pdf"), {}), ErrorCode::kInvalidArgument,
                Reason::kInvalidDocument);
  DocumentMetadata long_title;
  long_title.title = std::string(400, 't');
  auto bad_meta = service_->Upload("ann", Spool("hello there", "a.txt"), long_title);
  ASSERT_FALSE(bad_meta.ok());
  EXPECT_EQ(bad_meta.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(service_->Upload("ann", Spool("hello", ""), {}).ok());
  Reopen({.max_bytes = 10});
  ExpectRefused(service_->Upload("ann", Spool("more than ten bytes of text", "a.txt"), {}), ErrorCode::kInvalidArgument,
                Reason::kDocumentTooLarge);
  EXPECT_EQ(BlobFiles(), 0u);
  EXPECT_EQ(*service_->Count("ann"), 0);
  EXPECT_TRUE(Queued().empty());
}

TEST_F(DocumentServiceTest, ADocumentWithoutTextFailsWithItsReason) {
  auto up = service_->Upload("ann", Spool(" \n\n  \n", "empty.txt"), {});
  ASSERT_TRUE(up.ok()) << up.error().internal_message();
  EXPECT_EQ(up->format, DocumentFormat::kText);
  EXPECT_EQ(Process(up->id), "failed");
  auto got = service_->Get("ann", up->id);
  EXPECT_EQ(got->document.status, DocumentStatus::kFailed);
  EXPECT_EQ(got->document.failure, "The document contains no text");
  EXPECT_TRUE(got->chunks.empty());
}

TEST_F(DocumentServiceTest, AMissingFileOnTheLastAttemptFailsTheDocument) {
  auto up = service_->Upload("ann", Spool("Some notes about the garden and the trees in it.", "notes.md"), {});
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->format, DocumentFormat::kMarkdown);
  ASSERT_TRUE(blobs_->Remove(up->blob_key).ok());
  EXPECT_EQ(Process(up->id), "failed");
  EXPECT_EQ(service_->Get("ann", up->id)->document.failure, "The uploaded file is missing");
}

TEST_F(DocumentServiceTest, ReindexStartsANewRevisionAndTheOldJobStandsDown) {
  auto up = service_->Upload("ann", Spool(testing::MakePdf(kPages, "t", "a"), "r.pdf"), {});
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(Process(up->id), "ready");
  auto again = service_->Reindex("ann", up->id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, DocumentStatus::kProcessing);
  EXPECT_EQ(again->revision, 2);
  EXPECT_EQ(service_->Get("ann", up->id)->document.status, DocumentStatus::kProcessing);
  EXPECT_EQ(Process(up->id, 2), "ready");
  // Running the revision-2 job again (a rerun after a crash) stores the same outcome.
  const auto before = service_->Get("ann", up->id)->chunks.size();
  EXPECT_EQ(Process(up->id, 2), "ready");
  EXPECT_EQ(service_->Get("ann", up->id)->chunks.size(), before);
}

TEST_F(DocumentServiceTest, DeleteTakesTheRowChunksAndFile) {
  auto up = service_->Upload("ann", Spool(testing::MakePdf(kPages, "t", "a"), "d.pdf"), {});
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(Process(up->id), "ready");
  const auto chunks = service_->Get("ann", up->id)->chunks.size();
  auto gone = service_->Delete("ann", up->id);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->id, up->id);
  EXPECT_EQ(gone->chunks_deleted, static_cast<std::int64_t>(chunks));
  EXPECT_EQ(BlobFiles(), 0u);
  ExpectRefused(service_->Get("ann", up->id), ErrorCode::kNotFound, Reason::kDocumentNotFound);
  // The job of a deleted document succeeds doing nothing.
  EXPECT_EQ(Process(up->id), "deleted");
}

TEST_F(DocumentServiceTest, ListChecksItsWindow) {
  EXPECT_FALSE(service_->List("ann", {.limit = 0}).ok());
  EXPECT_FALSE(service_->List("ann", {.limit = 101}).ok());
  EXPECT_FALSE(service_->List("ann", {.offset = -1}).ok());
  EXPECT_TRUE(service_->List("ann", {}).ok());
}

TEST(StoredFileNameTest, LowerCaseStemDateAndTheFormatsExtension) {
  EXPECT_EQ(StoredFileName("Project Requirements.pdf", "2026-01-04T10:30:00.000Z", DocumentFormat::kPdf),
            "project_requirements_20260104.pdf");
  EXPECT_EQ(StoredFileName("notes", "2026-01-04T10:30:00.000Z", DocumentFormat::kMarkdown), "notes_20260104.md");
  EXPECT_EQ(StoredFileName("Отчёт.docx", "2026-01-04T10:30:00.000Z", DocumentFormat::kDocx), "document_20260104.docx");
  EXPECT_EQ(StoredFileName("..__A  b!!.txt", "2026-01-04T10:30:00.000Z", DocumentFormat::kText), "a_b_20260104.txt");
  EXPECT_EQ(StoredFileName(std::string(300, 'x') + ".pdf", "2026-01-04", DocumentFormat::kPdf).size(), 80u + 1 + 8 + 4);
}

}  // namespace
}  // namespace atrium::core::documents
