#include "core/analytics/usage_analytics.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::analytics {
namespace {

using namespace std::chrono;
using storage::Null;
using storage::Value;

// Monday 2024-03-04 10:00:00.500 UTC (2024 is a leap year: February has 29 days).
sys_time<milliseconds> Now() { return sys_days{year{2024} / March / 4} + hours{10} + milliseconds{500}; }

class UsageAnalyticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 2});
    ASSERT_TRUE(db.ok()) << db.error().internal_message();
    db_ = std::move(db).value();
    auto migrated = storage::ApplyMigrations(*db_, storage::sqlite::SqliteMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().internal_message();
    stores_ = storage::sqlite::OpenRepositories(*db_, clock_, random_);
    analytics_ = std::make_unique<UsageAnalytics>(stores_->repos(), clock_);
  }

  void Exec(const std::string& sql, const storage::Params& params) {
    auto r = db_->Execute(sql, params);
    ASSERT_TRUE(r.ok()) << r.error().internal_message();
  }

  void User(const std::string& id, const std::string& created_at, std::int64_t tokens_used = 0) {
    Exec(
        "INSERT INTO users (id, email, email_lower, password_hash, tokens_used, created_at, updated_at)"
        " VALUES (?, ?, ?, 'x', ?, ?, ?)",
        {id, id + "@example.com", id + "@example.com", tokens_used, created_at, created_at});
  }

  void Conversation(const std::string& id, const std::string& user, const std::string& created_at) {
    Exec("INSERT INTO conversations (id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
         {id, user, created_at, created_at});
  }

  // A user message, or an assistant answer when `model` is given.
  void Message(const std::string& conversation, const std::string& user, const std::string& created_at,
               Value model = Null{}, Value tokens = Null{}, Value cost = Null{}, const std::string& role = "") {
    const std::string r = !role.empty() ? role : std::holds_alternative<Null>(model) ? "user" : "assistant";
    Exec(
        "INSERT INTO messages (id, conversation_id, user_id, role, content, model, total_tokens, cost_usd,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, 'text', ?, ?, ?, ?, ?)",
        {"m" + std::to_string(++messages_), conversation, user, r, model, tokens, cost, created_at, created_at});
  }

  // The data every test reads:
  // - users: a (2024-01-01, 100 tokens charged), b (2024-02-27), c (2024-03-04 08:00);
  // - conversations: ca1 (old), ca2 (2024-02-26T10:00:00Z, the window's first second
  //   for 7 days), cb1 (2024-02-26T09:59:59.999Z, just before it), cc1 (2024-03-04);
  // - messages around the 7-day window's start, February's end, a week's end (Sunday
  //   2024-03-03) and the next Monday.
  void Seed() {
    User("a", "2024-01-01T00:00:00Z", 100);
    User("b", "2024-02-27T12:00:00Z", 30);
    User("c", "2024-03-04T08:00:00Z", 7);
    Conversation("ca1", "a", "2024-01-02T00:00:00.000Z");
    Conversation("ca2", "a", "2024-02-26T10:00:00Z");
    Conversation("cb1", "b", "2024-02-26T09:59:59.999Z");
    Conversation("cc1", "c", "2024-03-04T08:30:00.000Z");
    // Before the window: counted in totals only.
    Message("ca1", "a", "2024-01-02T00:00:01.000Z");
    Message("ca1", "a", "2024-01-02T00:00:02.000Z", "gpt-old", 1000, 9.0);
    Message("cb1", "b", "2024-02-26T09:59:59.999Z");
    // In the window.
    Message("cb1", "b", "2024-02-26T10:00:00.000Z", "model-x", 10, 0.5);                // Mon, first ms
    Message("ca2", "a", "2024-02-29T23:59:59.999Z");                                    // Thu, February's last
    Message("ca2", "a", "2024-03-01T00:00:00.000Z", "model-y", 20, 1.25);               // Fri, March's first
    Message("ca2", "a", "2024-03-03T23:59:59.999Z", "model-x", 5, 0.25);                // Sun, the week's last
    Message("cc1", "c", "2024-03-04T00:00:00Z", "model-y", 3, Null{});                  // Mon, no price known
    Message("cc1", "c", "2024-03-04T09:00:00.000Z", "", 2, 0.0);                        // stored without a model
    Message("cc1", "c", "2024-03-04T09:00:01.000Z", Null{}, Null{}, Null{}, "system");  // never counted
  }

  testing::TempDir dir_;
  testing::FakeClock clock_{time_point_cast<system_clock::duration>(Now())};
  testing::FakeRandom random_;
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
  std::unique_ptr<UsageAnalytics> analytics_;
  int messages_ = 0;
};

std::string Points(const std::vector<Point>& points) {
  std::string out;
  for (const auto& p : points) out += (out.empty() ? "" : " ") + p.date + "=" + std::to_string(p.value);
  return out;
}

std::string Models(const std::vector<ModelUsage>& models) {
  std::string out;
  for (const auto& m : models) {
    out += (out.empty() ? "" : " ") + m.model + ":" + std::to_string(m.count) + "/" + std::to_string(m.total_tokens);
  }
  return out;
}

TEST_F(UsageAnalyticsTest, AnEmptyDatabaseHasZeroesAndNoModels) {
  auto s = analytics_->Summary(30);
  ASSERT_TRUE(s.ok()) << s.error().internal_message();
  EXPECT_EQ(s->users_total, 0);
  EXPECT_EQ(s->users_active, 0);
  EXPECT_EQ(s->conversations_total, 0);
  EXPECT_EQ(s->messages_total, 0);
  EXPECT_EQ(s->tokens_total, 0);
  EXPECT_TRUE(s->model_usage.empty());
  EXPECT_EQ(s->period_days, 30);
  auto c = analytics_->Costs(30);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->by_model.empty());
  EXPECT_EQ(c->total_cost_usd, 0.0);
  auto t = analytics_->Series(2, Granularity::kDay);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Points(t->messages), "2024-03-02=0 2024-03-03=0 2024-03-04=0");
  EXPECT_EQ(Points(t->users), "2024-03-02=0 2024-03-03=0 2024-03-04=0");
}

TEST_F(UsageAnalyticsTest, SummaryCountsTotalsAndThePeriod) {
  Seed();
  auto s = analytics_->Summary(7);
  ASSERT_TRUE(s.ok()) << s.error().internal_message();
  EXPECT_EQ(s->users_total, 3);
  // Only a sent a message in the window: b's is a millisecond too early (the answer
  // to it is not one b sent), and c has answers and a system row only.
  EXPECT_EQ(s->users_active, 1);
  EXPECT_EQ(s->conversations_total, 4);
  EXPECT_EQ(s->conversations_recent, 2);  // ca2 at the first second, cc1; not cb1
  EXPECT_EQ(s->messages_total, 9);        // the system row is not a chat message
  EXPECT_EQ(s->tokens_total, 137);        // the accounts' counters, all time
  EXPECT_EQ(Models(s->model_usage), "model-x:2/15 model-y:2/23 unknown:1/2");
  EXPECT_EQ(s->period_days, 7);

  auto all = analytics_->Summary(365);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->users_active, 2);  // a and b
  EXPECT_EQ(all->conversations_recent, 4);
  EXPECT_EQ(Models(all->model_usage), "model-x:2/15 model-y:2/23 gpt-old:1/1000 unknown:1/2");
}

TEST_F(UsageAnalyticsTest, TheWindowStartsToTheSecondForBothTimestampForms) {
  Seed();
  // One second later the window starts at 10:00:01: the answer at 10:00:00.000 and the
  // conversation at 10:00:00Z fall out.
  clock_.Advance(seconds(1));
  auto s = analytics_->Summary(7);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->conversations_recent, 1);
  EXPECT_EQ(Models(s->model_usage), "model-y:2/23 model-x:1/5 unknown:1/2");
}

TEST_F(UsageAnalyticsTest, CostsPerModelHighestFirst) {
  Seed();
  auto c = analytics_->Costs(7);
  ASSERT_TRUE(c.ok()) << c.error().internal_message();
  ASSERT_EQ(c->by_model.size(), 3u);
  EXPECT_EQ(c->by_model[0].model, "model-y");
  EXPECT_EQ(c->by_model[0].total_cost, 1.25);  // the unpriced answer counts as 0...
  EXPECT_EQ(c->by_model[0].requests, 2);       // ...but as a request
  EXPECT_EQ(c->by_model[0].total_tokens, 23);
  EXPECT_EQ(c->by_model[1].model, "model-x");
  EXPECT_EQ(c->by_model[1].total_cost, 0.75);
  EXPECT_EQ(c->by_model[1].requests, 2);
  EXPECT_EQ(c->by_model[1].total_tokens, 15);
  EXPECT_EQ(c->by_model[2].model, "unknown");
  EXPECT_EQ(c->by_model[2].total_cost, 0.0);
  EXPECT_EQ(c->total_cost_usd, 2.0);
  EXPECT_EQ(c->period_days, 7);

  auto all = analytics_->Costs(365);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->by_model[0].model, "gpt-old");
  EXPECT_EQ(all->total_cost_usd, 11.0);
}

TEST_F(UsageAnalyticsTest, DailySeriesListsEveryDateWithZeroes) {
  Seed();
  auto t = analytics_->Series(7, Granularity::kDay);
  ASSERT_TRUE(t.ok()) << t.error().internal_message();
  // From the window's first (partial) day to today, leap day included.
  EXPECT_EQ(Points(t->messages),
            "2024-02-26=1 2024-02-27=0 2024-02-28=0 2024-02-29=1 2024-03-01=1 2024-03-02=0 2024-03-03=1 "
            "2024-03-04=2");
  EXPECT_EQ(Points(t->tokens),
            "2024-02-26=10 2024-02-27=0 2024-02-28=0 2024-02-29=0 2024-03-01=20 2024-03-02=0 2024-03-03=5 "
            "2024-03-04=5");
  EXPECT_EQ(Points(t->users),
            "2024-02-26=0 2024-02-27=1 2024-02-28=0 2024-02-29=0 2024-03-01=0 2024-03-02=0 2024-03-03=0 "
            "2024-03-04=1");
  EXPECT_EQ(Points(t->conversations),
            "2024-02-26=1 2024-02-27=0 2024-02-28=0 2024-02-29=0 2024-03-01=0 2024-03-02=0 2024-03-03=0 "
            "2024-03-04=1");
  EXPECT_EQ(Models(t->popular_models), "model-x:2/15 model-y:2/23 unknown:1/2");
  EXPECT_EQ(t->period_days, 7);
  EXPECT_EQ(t->granularity, Granularity::kDay);
}

TEST_F(UsageAnalyticsTest, WeeksStartOnMonday) {
  Seed();
  auto t = analytics_->Series(7, Granularity::kWeek);
  ASSERT_TRUE(t.ok());
  // Sunday 2024-03-03 23:59:59.999 closes the week of Monday 2024-02-26.
  EXPECT_EQ(Points(t->messages), "2024-02-26=4 2024-03-04=2");
  EXPECT_EQ(Points(t->tokens), "2024-02-26=35 2024-03-04=5");
  EXPECT_EQ(Points(t->users), "2024-02-26=1 2024-03-04=1");

  // Ten days back starts on Friday 2024-02-23: its week began on Monday the 19th (and
  // is empty); b's message just before the 7-day window now counts.
  auto longer = analytics_->Series(10, Granularity::kWeek);
  ASSERT_TRUE(longer.ok());
  EXPECT_EQ(Points(longer->messages), "2024-02-19=0 2024-02-26=5 2024-03-04=2");
}

TEST_F(UsageAnalyticsTest, MonthsStartOnTheFirst) {
  Seed();
  auto t = analytics_->Series(7, Granularity::kMonth);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Points(t->messages), "2024-02-01=2 2024-03-01=4");
  EXPECT_EQ(Points(t->tokens), "2024-02-01=10 2024-03-01=30");
  EXPECT_EQ(Points(t->conversations), "2024-02-01=1 2024-03-01=1");

  // A year back crosses the year's end: 13 month buckets, from March 2023.
  auto year_back = analytics_->Series(365, Granularity::kMonth);
  ASSERT_TRUE(year_back.ok());
  ASSERT_EQ(year_back->messages.size(), 13u);
  EXPECT_EQ(year_back->messages.front().date, "2023-03-01");
  EXPECT_EQ(year_back->messages[10].date, "2024-01-01");
  EXPECT_EQ(year_back->messages[10].value, 2);
  EXPECT_EQ(year_back->messages[11].value, 3);  // February, with b's early message
  EXPECT_EQ(year_back->messages.back().date, "2024-03-01");
  EXPECT_EQ(year_back->users[10].value, 1);
}

TEST_F(UsageAnalyticsTest, ArenaAnswersAreNotCounted) {
  Seed();
  Exec(
      "INSERT INTO arena_sessions (id, user_id, config_ids, title, created_at, updated_at)"
      " VALUES ('s1', 'a', '[]', 't', '2024-03-04T09:00:00Z', '2024-03-04T09:00:00Z')",
      {});
  Exec(
      "INSERT INTO arena_messages (id, session_id, role, config_id, content, metadata, created_at)"
      " VALUES ('am1', 's1', 'assistant', 'cfg', 'hi', '{\"model\":\"model-x\",\"tokens\":99}',"
      " '2024-03-04T09:00:00Z')",
      {});
  auto s = analytics_->Summary(7);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->messages_total, 9);
  EXPECT_EQ(Models(s->model_usage), "model-x:2/15 model-y:2/23 unknown:1/2");
}

TEST_F(UsageAnalyticsTest, PopularModelsKeepsTheTopTen) {
  User("a", "2024-03-01T00:00:00Z");
  Conversation("c", "a", "2024-03-01T00:00:00Z");
  for (int m = 0; m < 12; ++m) {
    for (int i = 0; i <= m; ++i) Message("c", "a", "2024-03-02T00:00:00Z", "m" + std::to_string(100 + m), 1);
  }
  auto t = analytics_->Series(30, Granularity::kDay);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->popular_models.size(), kPopularModels);
  EXPECT_EQ(t->popular_models.front().model, "m111");
  EXPECT_EQ(t->popular_models.front().count, 12);
  EXPECT_EQ(t->popular_models.back().model, "m102");
  auto s = analytics_->Summary(30);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->model_usage.size(), 12u);  // the summary lists every model
}

TEST_F(UsageAnalyticsTest, DaysOutsideOneToThreeSixtyFiveAreRefused) {
  for (int days : {0, -1, 366}) {
    auto s = analytics_->Summary(days);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().safe_message(), "days must be an integer from 1 to 365");
    EXPECT_FALSE(analytics_->Costs(days).ok());
    EXPECT_FALSE(analytics_->Series(days, Granularity::kWeek).ok());
  }
  EXPECT_TRUE(analytics_->Summary(1).ok());
  EXPECT_TRUE(analytics_->Summary(365).ok());
}

TEST(GranularityTest, ParsesTheThreeNames) {
  EXPECT_EQ(ParseGranularity("day"), Granularity::kDay);
  EXPECT_EQ(ParseGranularity("week"), Granularity::kWeek);
  EXPECT_EQ(ParseGranularity("month"), Granularity::kMonth);
  EXPECT_FALSE(ParseGranularity("Day").has_value());
  EXPECT_FALSE(ParseGranularity("year").has_value());
  EXPECT_FALSE(ParseGranularity("").has_value());
  EXPECT_EQ(GranularityName(Granularity::kWeek), "week");
}

}  // namespace
}  // namespace atrium::core::analytics
