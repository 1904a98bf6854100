// The PostgreSQL driver against a real server (the ctest fixture `postgres`); each
// test gets a fresh database. Skipped when ATRIUM_TEST_POSTGRES_URL is not set.

#include "storage/postgres/pg_database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "storage/postgres/pg_schema.hpp"
#include "support/pg_test_database.hpp"

namespace atrium::storage::postgres {
namespace {

using core::ErrorCode;

class PgDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (pg_.url().empty()) GTEST_SKIP() << "ATRIUM_TEST_POSTGRES_URL is not set (ctest's postgres fixture sets it)";
    db_ = OpenDb({});
  }

  std::unique_ptr<PgDatabase> OpenDb(PgOptions options) {
    options.pool.url = pg_.url();
    auto db = PgDatabase::Open(options);
    EXPECT_TRUE(db) << db.error().internal_message();
    return db ? std::move(db).value() : nullptr;
  }

  void Exec(std::string_view sql, const Params& params = {}) {
    auto r = db_->Execute(sql, params);
    ASSERT_TRUE(r) << r.error().internal_message();
  }

  std::int64_t Int(std::string_view sql, const Params& params = {}) {
    auto r = db_->Query(sql, params);
    EXPECT_TRUE(r) << r.error().internal_message();
    if (!r || r->empty()) return -1;
    return AsInt(r->rows[0][0]).value_or(-1);
  }

  void Migrate() {
    auto r = ApplyPgMigrations(*db_);
    ASSERT_TRUE(r) << r.error().safe_message() << ": " << r.error().internal_message();
  }

  void AddUser(const std::string& id, const std::string& email) {
    Exec(
        "INSERT INTO users(id, email, email_lower, password_hash, created_at, updated_at)"
        " VALUES (?, ?, lower(?), 'h', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        {Value{id}, Value{email}, Value{email}});
  }

  testing::PgTestDatabase pg_;
  std::unique_ptr<PgDatabase> db_;
};

TEST_F(PgDatabaseTest, DriverIsPostgresqlAndPingAnswers) {
  EXPECT_EQ(db_->driver(), "postgresql");
  auto r = db_->Ping();
  EXPECT_TRUE(r) << r.error().internal_message();
}

TEST_F(PgDatabaseTest, MigrationsApplyAllVersionsAndReapplyingChangesNothing) {
  const int newest = static_cast<int>(PgMigrations().size());
  EXPECT_EQ(newest, 15);
  auto first = ApplyPgMigrations(*db_);
  ASSERT_TRUE(first) << first.error().internal_message();
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, newest);
  EXPECT_EQ(first->applied.size(), PgMigrations().size());
  auto again = ApplyPgMigrations(*db_);
  ASSERT_TRUE(again) << again.error().internal_message();
  EXPECT_EQ(again->from_version, newest);
  EXPECT_EQ(again->to_version, newest);
  EXPECT_TRUE(again->applied.empty());
  auto version = SchemaVersion(*db_);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, newest);
  // Every table of the SQLite schema exists here too.
  for (const char* table :
       {"client_logs", "users", "devices", "sessions", "refresh_tokens", "api_keys", "assistant_configs",
        "assistant_config_saves", "prompt_templates", "audit_logs", "generated_images", "arena_sessions",
        "arena_messages", "calendar_events", "webhook_deliveries", "conversations", "messages"}) {
    EXPECT_EQ(Int("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?", {Value{std::string(table)}}),
              1)
        << table;
  }
  EXPECT_EQ(Int("SELECT COUNT(*) FROM schema_migrations WHERE applied_at LIKE '____-__-__T__:__:__Z'"), newest);
}

TEST_F(PgDatabaseTest, IdentityColumnsNumberRowsLikeAutoincrement) {
  Migrate();
  for (int i = 0; i < 3; ++i) {
    Exec("INSERT INTO client_logs(id, timestamp, level, message, received_at) VALUES (?, 't', 'info', 'm', 'r')",
         {Value{"log" + std::to_string(i)}});
  }
  auto rows = db_->Query("SELECT seq FROM client_logs ORDER BY seq");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->rows[0][0], Value{std::int64_t{1}});
  EXPECT_EQ(rows->rows[2][0], Value{std::int64_t{3}});
}

TEST_F(PgDatabaseTest, EveryValueTypeRoundTrips) {
  Exec(
      "CREATE TABLE v (i2 SMALLINT, i4 INTEGER, i8 BIGINT, f4 REAL, f8 DOUBLE PRECISION, num NUMERIC,"
      " t TEXT, vc VARCHAR(20), b BYTEA, flag BOOLEAN, n TEXT)");
  const std::string blob("\0\x01\xff'\\x\"?", 8);
  Exec("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
       {Value{std::int64_t{-32768}}, Value{std::int64_t{2147483647}}, Value{std::int64_t{-9223372036854775807 - 1}},
        Value{0.5}, Value{0.1}, Value{12.25}, Value{std::string("héllo 'quoted' ?")}, Value{std::string("short")},
        Value{blob}, Value{std::string("true")}, Value{Null{}}});
  auto rows = db_->Query("SELECT i2, i4, i8, f4, f8, num, t, vc, b, flag, n FROM v");
  ASSERT_TRUE(rows) << rows.error().internal_message();
  ASSERT_EQ(rows->size(), 1u);
  const auto& r = rows->rows[0];
  EXPECT_EQ(rows->columns[0], "i2");
  EXPECT_EQ(r[0], Value{std::int64_t{-32768}});
  EXPECT_EQ(r[1], Value{std::int64_t{2147483647}});
  EXPECT_EQ(r[2], Value{std::int64_t{-9223372036854775807 - 1}});
  EXPECT_EQ(r[3], Value{0.5});
  EXPECT_EQ(r[4], Value{0.1});  // exact: floats travel with all their digits
  EXPECT_EQ(r[5], Value{12.25});
  EXPECT_EQ(r[6], Value{std::string("héllo 'quoted' ?")});
  EXPECT_EQ(r[7], Value{std::string("short")});
  EXPECT_EQ(r[8], Value{blob});
  EXPECT_EQ(r[9], Value{std::int64_t{1}});
  EXPECT_EQ(r[10], Value{Null{}});
  // Parameters compare against typed columns too.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM v WHERE i8 < ? AND f8 = ? AND b = ?",
                {Value{std::int64_t{0}}, Value{0.1}, Value{blob}}),
            1);
}

TEST_F(PgDatabaseTest, ExecuteReportsRowsChanged) {
  Exec("CREATE TABLE c (k TEXT PRIMARY KEY, n BIGINT)");
  Exec("INSERT INTO c VALUES ('a', 1), ('b', 2), ('c', 3)");
  auto changed = db_->Execute("UPDATE c SET n = n + 1 WHERE n >= ?", {Value{std::int64_t{2}}});
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, 2);
}

TEST_F(PgDatabaseTest, UniqueViolationIsAlreadyExistsNamingTheConstraint) {
  Migrate();
  AddUser("u1", "Ann@example.com");
  auto r = db_->Execute(
      "INSERT INTO users(id, email, email_lower, password_hash, created_at, updated_at)"
      " VALUES ('u2', 'ann@example.com', 'ann@example.com', 'h', 'c', 'u')");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(r.error().safe_message(), "conflicts with stored data");
  EXPECT_NE(r.error().internal_message().find("users_email_lower_key"), std::string::npos)
      << r.error().internal_message();
  EXPECT_EQ(r.error().safe_message().find("INSERT"), std::string::npos);
}

TEST_F(PgDatabaseTest, NotNullAndForeignKeyViolationsAreInternal) {
  Migrate();
  auto not_null = db_->Execute("INSERT INTO users(id, email) VALUES ('u', NULL)");
  ASSERT_FALSE(not_null);
  EXPECT_EQ(not_null.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(not_null.error().safe_message(), "database error");
  EXPECT_NE(not_null.error().internal_message().find("23502"), std::string::npos);

  auto fk = db_->Execute(
      "INSERT INTO devices(id, user_id, fingerprint, last_seen_at, created_at) VALUES ('d', 'nobody', 'f', 'l', 'c')");
  ASSERT_FALSE(fk);
  EXPECT_EQ(fk.error().code(), ErrorCode::kInternal);
  EXPECT_NE(fk.error().internal_message().find("23503"), std::string::npos);

  auto check = db_->Execute(
      "INSERT INTO users(id, email, email_lower, password_hash, role, created_at, updated_at)"
      " VALUES ('u', 'e', 'e', 'h', 'root', 'c', 'u')");
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code(), ErrorCode::kInternal);
}

TEST_F(PgDatabaseTest, SyntaxErrorIsInternalAndItsSafeMessageHidesTheSql) {
  auto r = db_->Query("SELEC secret_column FROM t");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(r.error().safe_message(), "database error");
  EXPECT_NE(r.error().internal_message().find("42601"), std::string::npos);
}

TEST_F(PgDatabaseTest, ParameterCountMismatchIsInternal) {
  auto r = db_->Query("SELECT ?, ?", {Value{std::int64_t{1}}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
}

TEST_F(PgDatabaseTest, AFailingStatementInsideTransactRollsEverythingBack) {
  Migrate();
  auto r = db_->Transact([](Executor& tx) -> core::Result<void> {
    auto a = tx.Execute(
        "INSERT INTO users(id, email, email_lower, password_hash, created_at, updated_at)"
        " VALUES ('u1', 'a', 'a', 'h', 'c', 'u')");
    if (!a) return a.error();
    auto b = tx.Execute("INSERT INTO audit_logs(id, admin_id, action, created_at) VALUES ('x', 'u1', NULL, 'c')");
    if (!b) return b.error();
    return core::Ok{};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM audit_logs"), 0);
}

TEST_F(PgDatabaseTest, ABodyErrorRollsBackAndIsReturnedAsItIs) {
  Exec("CREATE TABLE c (n BIGINT)");
  auto r = db_->Transact([](Executor& tx) -> core::Result<void> {
    if (auto a = tx.Execute("INSERT INTO c VALUES (1)"); !a) return a.error();
    return core::Error(ErrorCode::kNotFound, "no such thing");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.error().safe_message(), "no such thing");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM c"), 0);
  EXPECT_EQ(db_->stats().retries, 0);
}

TEST_F(PgDatabaseTest, SerializationFailureRunsTheBodyAgain) {
  Exec("CREATE TABLE acct (id TEXT PRIMARY KEY, balance BIGINT)");
  Exec("INSERT INTO acct VALUES ('a', 100)");
  auto other = PgConnection::Open(pg_.url(), std::chrono::seconds(5));
  ASSERT_TRUE(other);
  int runs = 0;
  auto r = db_->Transact(
      [&](Executor& tx) -> core::Result<void> {
        ++runs;
        auto read = tx.Query("SELECT balance FROM acct WHERE id = 'a'");  // takes the snapshot
        if (!read) return read.error();
        const auto balance = AsInt(read->rows[0][0]).value_or(0);
        if (runs == 1) {
          // Another writer commits a change to the row after this snapshot.
          if (auto w = (*other)->Execute("UPDATE acct SET balance = balance + 1 WHERE id = 'a'"); !w) return w.error();
        }
        auto write = tx.Execute("UPDATE acct SET balance = ? WHERE id = 'a'", {Value{balance - 10}});
        if (!write) return write.error();
        return core::Ok{};
      },
      Isolation::kSerializable);
  ASSERT_TRUE(r) << r.error().internal_message();
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(Int("SELECT balance FROM acct"), 91);  // the other writer's +1 is not lost
  EXPECT_EQ(db_->stats().retries, 1);
}

TEST_F(PgDatabaseTest, SerializationFailuresStopAfterMaxAttempts) {
  db_ = OpenDb({.isolation = Isolation::kRepeatableRead, .max_attempts = 3});
  Exec("CREATE TABLE acct (id TEXT PRIMARY KEY, balance BIGINT)");
  Exec("INSERT INTO acct VALUES ('a', 100)");
  auto other = PgConnection::Open(pg_.url(), std::chrono::seconds(5));
  ASSERT_TRUE(other);
  int runs = 0;
  auto r = db_->Transact([&](Executor& tx) -> core::Result<void> {
    ++runs;
    if (auto read = tx.Query("SELECT balance FROM acct"); !read) return read.error();
    if (auto w = (*other)->Execute("UPDATE acct SET balance = balance + 1"); !w) return w.error();
    auto write = tx.Execute("UPDATE acct SET balance = 0");
    if (!write) return write.error();
    return core::Ok{};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
  EXPECT_NE(r.error().internal_message().find("40001"), std::string::npos);
  EXPECT_EQ(Int("SELECT balance FROM acct"), 103);
}

TEST_F(PgDatabaseTest, ThePoolServesManyThreadsWithinItsBound) {
  db_ = OpenDb({.pool = {.size = 3}});
  Exec("CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
  Exec("INSERT INTO counter VALUES (1, 0)");
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        if (!db_->Execute("UPDATE counter SET n = n + 1 WHERE id = 1")) ++failures;
        auto read = db_->Query("SELECT n FROM counter WHERE id = ?", {Value{std::int64_t{1}}});
        if (!read || read->empty()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Int("SELECT n FROM counter"), kThreads * kEach);
}

TEST_F(PgDatabaseTest, ABrokenConnectionIsReconnected) {
  db_ = OpenDb({.pool = {.size = 1}});
  const auto pid = Int("SELECT pg_backend_pid()");
  auto admin = PgConnection::Open(pg_.url(), std::chrono::seconds(5));
  ASSERT_TRUE(admin);
  ASSERT_TRUE((*admin)->Query("SELECT pg_terminate_backend(?::int)", {Value{pid}}));
  // The pool's only connection is dead; the next read reconnects and answers.
  const auto next = Int("SELECT pg_backend_pid()");
  EXPECT_GT(next, 0);
  EXPECT_NE(next, pid);
  auto ping = db_->Ping();
  EXPECT_TRUE(ping);
  // A write finds its connection dead at BEGIN, before anything ran: it reconnects too.
  ASSERT_TRUE((*admin)->Query("SELECT pg_terminate_backend(?::int)", {Value{next}}));
  auto write = db_->Execute("CREATE TABLE after_reconnect (n BIGINT)");
  EXPECT_TRUE(write) << write.error().internal_message();
  EXPECT_EQ(db_->stats().retries, 0);
}

TEST_F(PgDatabaseTest, CheckoutTimesOutWhenEveryConnectionIsLeased) {
  auto pool = PgPool::Open({.url = pg_.url(), .size = 1, .checkout_timeout = std::chrono::milliseconds(100)});
  ASSERT_TRUE(pool);
  auto held = (*pool)->Acquire();
  ASSERT_TRUE(held);
  const auto start = std::chrono::steady_clock::now();
  auto second = (*pool)->Acquire();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kUnavailable);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  EXPECT_EQ((*pool)->open_connections(), 1);
}

TEST_F(PgDatabaseTest, FullTextSearchFindsRanksAndHighlights) {
  Migrate();
  AddUser("u1", "a@example.com");
  Exec(
      "INSERT INTO conversations(id, user_id, title, created_at, updated_at)"
      " VALUES ('c1', 'u1', 'Café plans for Zürich', 'c', 'u')");
  const char* contents[] = {"We should visit the café near the lake", "Trains to Zürich leave hourly",
                            "Nothing about coffee here", "café café and more café"};
  for (int i = 0; i < 4; ++i) {
    Exec(
        "INSERT INTO messages(id, conversation_id, user_id, role, content, created_at, updated_at)"
        " VALUES (?, 'c1', 'u1', 'user', ?, 'c', 'u')",
        {Value{"m" + std::to_string(i)}, Value{std::string(contents[i])}});
  }
  // Accents are ignored as with SQLite's remove_diacritics; the densest match ranks first.
  auto hits = db_->Query(
      "SELECT m.id, ts_headline('atrium_search', m.content, q, 'StartSel=<b>, StopSel=</b>')"
      " FROM messages m, websearch_to_tsquery('atrium_search', ?) q"
      " WHERE m.content_tsv @@ q ORDER BY ts_rank(m.content_tsv, q) DESC, m.seq",
      {Value{std::string("cafe")}});
  ASSERT_TRUE(hits) << hits.error().internal_message();
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ(hits->rows[0][0], Value{std::string("m3")});
  EXPECT_EQ(hits->rows[1][0], Value{std::string("m0")});
  EXPECT_EQ(hits->rows[1][1], Value{std::string("We should visit the <b>café</b> near the lake")});
  // websearch syntax: a quoted phrase and a negation.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM messages WHERE content_tsv @@ websearch_to_tsquery('atrium_search', ?)",
                {Value{std::string("\"trains to zurich\" -coffee")}}),
            1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM conversations WHERE title_tsv @@ websearch_to_tsquery('atrium_search', ?)",
                {Value{std::string("zurich plans")}}),
            1);
  // The generated column follows an edit.
  Exec("UPDATE messages SET content = 'now about tea' WHERE id = 'm3'");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM messages WHERE content_tsv @@ websearch_to_tsquery('atrium_search', 'cafe')"), 1);
}

TEST(PgDatabaseOpen, AnUnreachableServerIsUnavailable) {
  auto db = PgDatabase::Open(
      {.pool = {.url = "postgresql://postgres@127.0.0.1:1/postgres", .connect_timeout = std::chrono::seconds(2)}});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().safe_message(), "database unavailable");
}

TEST(PgDatabaseOpen, AnotherSchemeIsRefused) {
  auto db = PgDatabase::Open({.pool = {.url = "mysql://root@127.0.0.1/x"}});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(IsPostgresUrl("postgres://u@h/db"));
  EXPECT_TRUE(IsPostgresUrl("postgresql://u@h/db?sslmode=disable"));
  EXPECT_FALSE(IsPostgresUrl("sqlite:///tmp/x.db"));
}

}  // namespace
}  // namespace atrium::storage::postgres
