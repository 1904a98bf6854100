#include "core/logs/client_log_service.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::logs {
namespace {

constexpr const char* kLevelMessage = "level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL";

ClientLogEntry Entry(std::string message, std::string level = "INFO", std::string label = "",
                     std::string timestamp = "") {
  ClientLogEntry e;
  e.message = std::move(message);
  e.level = std::move(level);
  e.label = std::move(label);
  e.timestamp = std::move(timestamp);
  return e;
}

std::vector<std::string> Messages(const ClientLogPage& page) {
  std::vector<std::string> out;
  for (const auto& e : page.logs) out.push_back(e.message);
  return out;
}

class ClientLogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 2});
    ASSERT_TRUE(db.ok()) << db.error().internal_message();
    db_ = std::move(db).value();
    auto migrated = storage::ApplyMigrations(*db_, storage::sqlite::SqliteMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().internal_message();
    stores_ = storage::sqlite::OpenRepositories(*db_, clock_, random_);
  }

  ClientLogService Service(std::int64_t max_entries = 1000) {
    return ClientLogService(stores_->repos(), clock_, random_, max_entries);
  }

  ClientLogPage List(ClientLogService& service, const ClientLogQuery& query = {}) {
    auto page = service.List(query);
    EXPECT_TRUE(page.ok()) << page.error().internal_message();
    return page.ok() ? *page : ClientLogPage{};
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
};

TEST_F(ClientLogServiceTest, AppendFillsIdTimestampAndNormalizesLevel) {
  auto service = Service();
  ASSERT_TRUE(service.Append(Entry("hello", "warn", "net")).ok());
  const auto page = List(service);
  EXPECT_EQ(page.total, 1);
  ASSERT_EQ(page.logs.size(), 1u);
  const auto& e = page.logs[0];
  EXPECT_EQ(e.id, "00010203-0405-4607-8809-0a0b0c0d0e0f");
  EXPECT_EQ(e.timestamp, "2024-05-06T07:08:09Z");
  EXPECT_EQ(e.level, "WARNING");
  EXPECT_EQ(e.label, "net");
  EXPECT_EQ(e.message, "hello");
  EXPECT_EQ(e.file, std::nullopt);
  EXPECT_EQ(e.function, std::nullopt);
  EXPECT_EQ(e.line, std::nullopt);
  EXPECT_EQ(e.metadata_json, std::nullopt);
  EXPECT_EQ(e.client_id, std::nullopt);
  EXPECT_EQ(e.client_name, std::nullopt);
}

TEST_F(ClientLogServiceTest, AppendKeepsEveryFieldTheClientSent) {
  auto service = Service();
  ClientLogEntry in = Entry("tapped", "debug", "ui", "2024-01-02T03:04:05.678Z");
  in.id = "client-chosen-id";
  in.file = "View.swift";
  in.function = "tap()";
  in.line = 42;
  in.metadata_json = R"({"screen":"home"})";
  in.client_id = "device-1";
  in.client_name = "iPhone";
  ASSERT_TRUE(service.Append(in).ok());
  EXPECT_EQ(random_.calls(), 0);  // the client's id is kept

  const auto page = List(service);
  ASSERT_EQ(page.logs.size(), 1u);
  const auto& e = page.logs[0];
  EXPECT_EQ(e.id, "client-chosen-id");
  EXPECT_EQ(e.timestamp, "2024-01-02T03:04:05.678Z");
  EXPECT_EQ(e.level, "DEBUG");
  EXPECT_EQ(e.label, "ui");
  EXPECT_EQ(e.message, "tapped");
  EXPECT_EQ(e.file, "View.swift");
  EXPECT_EQ(e.function, "tap()");
  EXPECT_EQ(e.line, 42);
  EXPECT_EQ(e.metadata_json, R"({"screen":"home"})");
  EXPECT_EQ(e.client_id, "device-1");
  EXPECT_EQ(e.client_name, "iPhone");
}

TEST_F(ClientLogServiceTest, AppendRejectsUnknownLevel) {
  auto service = Service();
  const auto r = service.Append(Entry("hello", "verbose"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().safe_message(), kLevelMessage);
  EXPECT_EQ(List(service).total, 0);
}

TEST_F(ClientLogServiceTest, AppendRejectsEmptyMessage) {
  auto service = Service();
  const auto r = service.Append(Entry("", "INFO"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().safe_message(), "message is required");
  EXPECT_EQ(List(service).total, 0);
}

TEST_F(ClientLogServiceTest, ListsNewestFirst) {
  auto service = Service();
  for (const char* m : {"first", "second", "third"}) ASSERT_TRUE(service.Append(Entry(m)).ok());
  const auto page = List(service);
  EXPECT_EQ(page.total, 3);
  EXPECT_EQ(Messages(page), (std::vector<std::string>{"third", "second", "first"}));
}

TEST_F(ClientLogServiceTest, FiltersByLevelLabelAndSince) {
  auto service = Service();
  ASSERT_TRUE(service.Append(Entry("a", "ERROR", "net", "2024-01-01T00:00:00Z")).ok());
  ASSERT_TRUE(service.Append(Entry("b", "INFO", "net", "2024-01-02T00:00:00Z")).ok());
  ASSERT_TRUE(service.Append(Entry("c", "ERROR", "ui", "2024-01-03T00:00:00Z")).ok());
  ASSERT_TRUE(service.Append(Entry("d", "ERROR", "net", "2024-01-04T00:00:00Z")).ok());

  ClientLogQuery by_level;
  by_level.level = "error";  // normalized like stored levels
  auto page = List(service, by_level);
  EXPECT_EQ(page.total, 3);
  EXPECT_EQ(Messages(page), (std::vector<std::string>{"d", "c", "a"}));

  ClientLogQuery by_label;
  by_label.label = "net";
  page = List(service, by_label);
  EXPECT_EQ(page.total, 3);
  EXPECT_EQ(Messages(page), (std::vector<std::string>{"d", "b", "a"}));

  ClientLogQuery since;
  since.since = "2024-01-02T00:00:00Z";  // inclusive
  page = List(service, since);
  EXPECT_EQ(page.total, 3);
  EXPECT_EQ(Messages(page), (std::vector<std::string>{"d", "c", "b"}));

  ClientLogQuery all;
  all.level = "ERROR";
  all.label = "net";
  all.since = "2024-01-02T00:00:00Z";
  page = List(service, all);
  EXPECT_EQ(page.total, 1);
  EXPECT_EQ(Messages(page), (std::vector<std::string>{"d"}));

  ClientLogQuery none;
  none.label = "absent";
  page = List(service, none);
  EXPECT_EQ(page.total, 0);
  EXPECT_TRUE(page.logs.empty());
}

TEST_F(ClientLogServiceTest, LimitPagesButTotalCountsEveryMatch) {
  auto service = Service();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(service.Append(Entry("m" + std::to_string(i))).ok());
  ClientLogQuery query;
  query.limit = 2;
  auto page = List(service, query);
  EXPECT_EQ(page.total, 5);
  EXPECT_EQ(Messages(page), (std::vector<std::string>{"m4", "m3"}));

  query.limit = 0;
  page = List(service, query);
  EXPECT_EQ(page.total, 5);
  EXPECT_TRUE(page.logs.empty());

  query.limit = ClientLogService::kMaxLimit;
  page = List(service, query);
  EXPECT_EQ(page.logs.size(), 5u);
}

TEST_F(ClientLogServiceTest, ListRejectsBadLimitAndLevel) {
  auto service = Service();
  for (int limit : {-1, 10001}) {
    ClientLogQuery query;
    query.limit = limit;
    const auto r = service.List(query);
    ASSERT_FALSE(r.ok()) << limit;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().safe_message(), "limit must be between 0 and 10000");
  }
  ClientLogQuery query;
  query.level = "loud";
  const auto r = service.List(query);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().safe_message(), kLevelMessage);
}

TEST_F(ClientLogServiceTest, RetentionKeepsTheNewestMaxEntries) {
  auto service = Service(3);
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(service.Append(Entry("m" + std::to_string(i))).ok());
  const auto page = List(service);
  EXPECT_EQ(page.total, 3);
  EXPECT_EQ(Messages(page), (std::vector<std::string>{"m6", "m5", "m4"}));
}

TEST_F(ClientLogServiceTest, ClearReturnsHowManyWereRemoved) {
  auto service = Service();
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(service.Append(Entry("m" + std::to_string(i))).ok());
  auto cleared = service.Clear();
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(*cleared, 4);
  EXPECT_EQ(List(service).total, 0);
  cleared = service.Clear();
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(*cleared, 0);
}

TEST_F(ClientLogServiceTest, EntriesSurviveReopeningTheDatabase) {
  {
    auto service = Service();
    ASSERT_TRUE(service.Append(Entry("durable")).ok());
  }
  stores_.reset();
  db_.reset();
  auto reopened = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 1});
  ASSERT_TRUE(reopened.ok());
  auto reopened_stores = storage::sqlite::OpenRepositories(**reopened, clock_, random_);
  ClientLogService service(reopened_stores->repos(), clock_, random_, 1000);
  auto page = service.List({});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Messages(*page), (std::vector<std::string>{"durable"}));
}

std::vector<ClientLogEntry> Batch(int n, const std::string& prefix) {
  std::vector<ClientLogEntry> out;
  for (int i = 0; i < n; ++i) {
    auto e = Entry(prefix + std::to_string(i));
    e.id = prefix + "-id-" + std::to_string(i);
    out.push_back(std::move(e));
  }
  return out;
}

TEST_F(ClientLogServiceTest, ARetriedBatchStoresNothingTwice) {
  auto service = Service();
  auto first = service.AppendBatch(Batch(25, "m"));
  ASSERT_TRUE(first.ok()) << first.error().internal_message();
  EXPECT_EQ(*first, 25);
  auto again = service.AppendBatch(Batch(25, "m"));
  ASSERT_TRUE(again.ok()) << again.error().internal_message();
  EXPECT_EQ(*again, 0);
  // A batch that overlaps what is stored adds only the new ones, and a repeat inside a
  // batch counts once.
  auto overlap = Batch(27, "m");
  overlap.push_back(overlap.back());
  auto more = service.AppendBatch(std::move(overlap));
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(*more, 2);
  EXPECT_EQ(List(service).total, 27);
  ASSERT_TRUE(service.Append(Batch(1, "m")[0]).ok());  // one entry is idempotent too
  EXPECT_EQ(List(service).total, 27);
}

// The audit's case: a store failure in the middle of a batch (here a trigger that
// refuses the 14th entry) used to keep the 13 before it.
TEST_F(ClientLogServiceTest, ABatchThatFailsToStoreKeepsNothing) {
  auto service = Service();
  ASSERT_TRUE(db_->Execute("CREATE TRIGGER refuse_m13 BEFORE INSERT ON client_logs WHEN NEW.message = 'm13'"
                           " BEGIN SELECT RAISE(ABORT, 'injected store fault'); END")
                  .ok());
  auto failed = service.AppendBatch(Batch(25, "m"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(List(service).total, 0);
  ASSERT_TRUE(db_->Execute("DROP TRIGGER refuse_m13").ok());
  auto retried = service.AppendBatch(Batch(25, "m"));
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(*retried, 25);
  EXPECT_EQ(List(service).total, 25);
}

TEST_F(ClientLogServiceTest, ABatchWithAnInvalidEntryKeepsNothing) {
  auto service = Service();
  auto batch = Batch(5, "m");
  batch[3].level = "LOUD";
  auto failed = service.AppendBatch(std::move(batch));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(List(service).total, 0);
}

TEST(NormalizeLevelTest, KnownLevelsInAnyCase) {
  EXPECT_EQ(NormalizeLevel("debug"), "DEBUG");
  EXPECT_EQ(NormalizeLevel("Info"), "INFO");
  EXPECT_EQ(NormalizeLevel("WARNING"), "WARNING");
  EXPECT_EQ(NormalizeLevel("warn"), "WARNING");
  EXPECT_EQ(NormalizeLevel("WaRn"), "WARNING");
  EXPECT_EQ(NormalizeLevel("error"), "ERROR");
  EXPECT_EQ(NormalizeLevel("critical"), "CRITICAL");
}

TEST(NormalizeLevelTest, UnknownLevels) {
  EXPECT_EQ(NormalizeLevel(""), std::nullopt);
  EXPECT_EQ(NormalizeLevel("fatal"), std::nullopt);
  EXPECT_EQ(NormalizeLevel("WARNINGS"), std::nullopt);
  EXPECT_EQ(NormalizeLevel(" INFO"), std::nullopt);
  EXPECT_EQ(NormalizeLevel(std::string_view("INFO\0", 5)), std::nullopt);
}

}  // namespace
}  // namespace atrium::core::logs
