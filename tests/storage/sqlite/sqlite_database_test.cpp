#include "storage/sqlite/sqlite_database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace atrium::storage::sqlite {
namespace {

using core::ErrorCode;

std::int64_t Count(Database& db, const std::string& table) {
  auto rows = db.Query("SELECT COUNT(*) FROM " + table);
  EXPECT_TRUE(rows.ok()) << rows.error().internal_message();
  if (!rows.ok() || rows->empty()) return -1;
  return AsInt(rows->rows[0][0]).value_or(-1);
}

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteDatabase> Open(int readers = 2) {
    auto db = SqliteDatabase::Open({dir_.File("test.db"), readers});
    EXPECT_TRUE(db.ok()) << db.error().internal_message();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  testing::TempDir dir_;
};

TEST_F(SqliteDatabaseTest, RoundTripsEveryValueType) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT)").ok());
  static constexpr char kRaw[] = "caf\xc3\xa9 \"quoted\" \0 after-nul";
  const std::string text(kRaw, sizeof kRaw - 1);
  auto inserted = db->Execute("INSERT INTO t VALUES (?, ?, ?, ?)",
                              {Value{std::int64_t{-42}}, Value{2.5}, Value{text}, Value{Null{}}});
  ASSERT_TRUE(inserted.ok()) << inserted.error().internal_message();
  EXPECT_EQ(*inserted, 1);

  auto rows = db->Query("SELECT i, d, s, n FROM t");
  ASSERT_TRUE(rows.ok()) << rows.error().internal_message();
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"i", "d", "s", "n"}));
  ASSERT_EQ(rows->size(), 1u);
  const auto& row = rows->rows[0];
  ASSERT_EQ(row.size(), 4u);
  EXPECT_EQ(row[0], Value{std::int64_t{-42}});
  EXPECT_EQ(row[1], Value{2.5});
  EXPECT_EQ(row[2], Value{text});
  EXPECT_EQ(std::get<std::string>(row[2]).size(), sizeof kRaw - 1);
  EXPECT_EQ(row[3], Value{Null{}});
}

TEST_F(SqliteDatabaseTest, RoundTripsIntegerExtremesAndEmptyText) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v)").ok());
  const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  ASSERT_TRUE(
      db->Execute("INSERT INTO t VALUES (1, ?), (2, ?), (3, ?)", {Value{lo}, Value{hi}, Value{std::string()}}).ok());
  auto rows = db->Query("SELECT v FROM t ORDER BY k");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->rows[0][0], Value{lo});
  EXPECT_EQ(rows->rows[1][0], Value{hi});
  EXPECT_EQ(rows->rows[2][0], Value{std::string()});
}

TEST_F(SqliteDatabaseTest, ExecuteReturnsChangedRows) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (v INTEGER)").ok());
  ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (1), (2), (3)").ok());
  auto changed = db->Execute("UPDATE t SET v = v + 10 WHERE v >= ?", {Value{std::int64_t{2}}});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 2);
  changed = db->Execute("DELETE FROM t WHERE v > 100");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 0);
}

TEST_F(SqliteDatabaseTest, EmptyResultKeepsColumnNames) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (a, b)").ok());
  auto rows = db->Query("SELECT a, b AS renamed FROM t");
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"a", "renamed"}));
}

TEST_F(SqliteDatabaseTest, TransactCommits) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (v INTEGER)").ok());
  auto done = db->Transact([](Executor& tx) -> core::Result<void> {
    for (std::int64_t i = 0; i < 3; ++i) {
      if (auto r = tx.Execute("INSERT INTO t VALUES (?)", {Value{i}}); !r) return r.error();
    }
    auto seen = tx.Query("SELECT COUNT(*) FROM t");  // the transaction sees its own writes
    if (!seen) return seen.error();
    if (AsInt(seen->rows[0][0]) != 3) return core::Error(ErrorCode::kInternal, "own writes invisible");
    return core::Ok{};
  });
  ASSERT_TRUE(done.ok()) << done.error().internal_message();
  EXPECT_EQ(Count(*db, "t"), 3);
}

TEST_F(SqliteDatabaseTest, TransactRollsBackWhenBodyFails) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (v INTEGER)").ok());
  ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (0)").ok());
  auto done = db->Transact([](Executor& tx) -> core::Result<void> {
    if (auto r = tx.Execute("INSERT INTO t VALUES (1)"); !r) return r.error();
    if (auto r = tx.Execute("DELETE FROM t WHERE v = 0"); !r) return r.error();
    return core::Error(ErrorCode::kNotFound, "no such thing", "body gave up");
  });
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(done.error().safe_message(), "no such thing");
  EXPECT_EQ(done.error().internal_message(), "body gave up");
  auto rows = db->Query("SELECT v FROM t");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->rows[0][0], Value{std::int64_t{0}});

  // No transaction is left open: the next one commits normally.
  ASSERT_TRUE(db->Transact([](Executor& tx) -> core::Result<void> {
                  if (auto r = tx.Execute("INSERT INTO t VALUES (2)"); !r) return r.error();
                  return core::Ok{};
                }).ok());
  EXPECT_EQ(Count(*db, "t"), 2);
}

TEST_F(SqliteDatabaseTest, TransactRollsBackAndRethrowsOnException) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (v INTEGER)").ok());
  EXPECT_THROW(
      {
        (void)db->Transact([](Executor& tx) -> core::Result<void> {
          (void)tx.Execute("INSERT INTO t VALUES (1)");
          throw std::runtime_error("boom");
        });
      },
      std::runtime_error);
  EXPECT_EQ(Count(*db, "t"), 0);
  ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (2)").ok());  // the writer is usable again
  EXPECT_EQ(Count(*db, "t"), 1);
}

TEST_F(SqliteDatabaseTest, UniqueViolationIsAlreadyExists) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (k TEXT PRIMARY KEY)").ok());
  ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (?)", {Value{std::string("a")}}).ok());
  auto dup = db->Execute("INSERT INTO t VALUES (?)", {Value{std::string("a")}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().safe_message(), "conflicts with stored data");
  EXPECT_EQ(dup.error().internal_message(), "step: UNIQUE constraint failed: t.k");

  // The cached statement was reset: it runs again with other parameters.
  ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (?)", {Value{std::string("b")}}).ok());
  EXPECT_EQ(Count(*db, "t"), 2);
}

TEST_F(SqliteDatabaseTest, PrimaryKeyViolationIsAlreadyExists) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (id INTEGER PRIMARY KEY)").ok());
  ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (1)").ok());
  auto dup = db->Execute("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().safe_message(), "conflicts with stored data");
  EXPECT_EQ(dup.error().internal_message(), "step: UNIQUE constraint failed: t.id");
}

// Constraint failures other than a key clash are not "already exists": they are internal,
// with a safe message that names no SQL.
void ExpectInternal(const core::Result<std::int64_t>& r, const std::string& internal) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(r.error().safe_message(), "database error");
  EXPECT_EQ(r.error().internal_message(), internal);
}

TEST_F(SqliteDatabaseTest, NotNullViolationInsideTransactIsInternalAndRollsBack) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (k INTEGER NOT NULL)").ok());
  auto done = db->Transact([](Executor& tx) -> core::Result<void> {
    if (auto r = tx.Execute("INSERT INTO t VALUES (1)"); !r) return r.error();
    if (auto r = tx.Execute("INSERT INTO t VALUES (NULL)"); !r) return r.error();
    return core::Ok{};
  });
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(done.error().safe_message(), "database error");
  EXPECT_EQ(done.error().internal_message(), "step: NOT NULL constraint failed: t.k");
  EXPECT_EQ(Count(*db, "t"), 0);
}

TEST_F(SqliteDatabaseTest, CheckViolationIsInternal) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (k INTEGER CONSTRAINT positive CHECK (k > 0))").ok());
  ExpectInternal(db->Execute("INSERT INTO t VALUES (-1)"), "step: CHECK constraint failed: positive");
}

TEST_F(SqliteDatabaseTest, TriggerAbortIsInternal) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (k INTEGER)").ok());
  ASSERT_TRUE(db->Execute("CREATE TRIGGER refuse BEFORE INSERT ON t BEGIN SELECT RAISE(ABORT, 'injected'); END").ok());
  ExpectInternal(db->Execute("INSERT INTO t VALUES (1)"), "step: injected");
  EXPECT_EQ(Count(*db, "t"), 0);
}

TEST_F(SqliteDatabaseTest, SyntaxErrorIsInternalWithoutLeakingSql) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto r = db->Query("SELEC 1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(r.error().safe_message(), "database error");
  EXPECT_EQ(r.error().internal_message(), "prepare: near \"SELEC\": syntax error");
}

TEST_F(SqliteDatabaseTest, ParameterCountMismatchIsInternal) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto r = db->Query("SELECT ?, ?", {Value{std::int64_t{1}}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(r.error().safe_message(), "database error");
  EXPECT_EQ(r.error().internal_message(), "parameter count mismatch");
  // The same statement, now with the right parameters.
  auto ok = db->Query("SELECT ?, ?", {Value{std::int64_t{1}}, Value{std::string("x")}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->rows[0][1], Value{std::string("x")});
}

TEST_F(SqliteDatabaseTest, PreparedStatementReusedWithDifferentParameters) {
  auto db = Open(1);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (k INTEGER, v TEXT)").ok());
  const std::string insert = "INSERT INTO t VALUES (?, ?)";
  const std::string select = "SELECT v FROM t WHERE k = ?";
  for (std::int64_t k = 0; k < 20; ++k) {
    ASSERT_TRUE(db->Execute(insert, {Value{k}, Value{"v" + std::to_string(k)}}).ok());
  }
  for (std::int64_t k : {std::int64_t{7}, std::int64_t{0}, std::int64_t{19}, std::int64_t{7}}) {
    auto rows = db->Query(select, {Value{k}});
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->rows[0][0], Value{"v" + std::to_string(k)});
  }
  auto none = db->Query(select, {Value{std::int64_t{99}}});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  // NULL after a value: bindings from the last run do not linger.
  auto null_key = db->Query(select, {Value{Null{}}});
  ASSERT_TRUE(null_key.ok());
  EXPECT_TRUE(null_key->empty());
}

TEST_F(SqliteDatabaseTest, ReaderConnectionsRefuseWrites) {
  auto db = Open(1);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (v INTEGER)").ok());
  auto r = db->Query("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().safe_message(), "database unavailable");
  EXPECT_EQ(Count(*db, "t"), 0);
}

TEST_F(SqliteDatabaseTest, ReadersSeeCommittedWrites) {
  auto db = Open(2);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (v INTEGER)").ok());
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (1)").ok());
    EXPECT_EQ(Count(*db, "t"), i);
    EXPECT_EQ(Count(*db, "t"), i);  // the other reader too
  }
}

TEST_F(SqliteDatabaseTest, ConcurrentReadersAndWriter) {
  auto db = Open(2);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (v INTEGER)").ok());
  constexpr int kWrites = 200;
  std::atomic<bool> writing{true};
  std::atomic<int> read_errors{0};
  std::atomic<int> went_backwards{0};
  std::atomic<int> reads{0};

  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {  // more threads than reader connections: some wait their turn
    readers.emplace_back([&] {
      std::int64_t last = 0;
      auto read_once = [&] {
        auto rows = db->Query("SELECT COUNT(*), COALESCE(MAX(v), 0) FROM t");
        ++reads;
        if (!rows.ok()) {
          ++read_errors;
          return;
        }
        const std::int64_t n = AsInt(rows->rows[0][0]).value_or(-1);
        if (n < last || AsInt(rows->rows[0][1]).value_or(-1) != n) ++went_backwards;
        last = n;
      };
      while (writing.load()) read_once();
      read_once();
    });
  }
  std::thread writer([&] {
    for (std::int64_t i = 1; i <= kWrites; ++i) {
      if (i % 2 == 0) {
        if (!db->Execute("INSERT INTO t VALUES (?)", {Value{i}}).ok()) ++read_errors;
      } else {
        auto done = db->Transact([i](Executor& tx) -> core::Result<void> {
          if (auto r = tx.Execute("INSERT INTO t VALUES (?)", {Value{i}}); !r) return r.error();
          return core::Ok{};
        });
        if (!done.ok()) ++read_errors;
      }
    }
    writing = false;
  });
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(read_errors.load(), 0);
  EXPECT_EQ(went_backwards.load(), 0);
  EXPECT_GE(reads.load(), 3);
  EXPECT_EQ(Count(*db, "t"), kWrites);
}

TEST_F(SqliteDatabaseTest, WalAndFullSynchronousAreInEffect) {
  auto db = Open(1);
  ASSERT_NE(db, nullptr);
  // Through a reader connection.
  auto mode = db->Query("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(mode->rows[0][0], Value{std::string("wal")});
  auto sync = db->Query("PRAGMA synchronous");
  ASSERT_TRUE(sync.ok());
  EXPECT_EQ(sync->rows[0][0], Value{std::int64_t{2}});  // FULL
  auto fk = db->Query("PRAGMA foreign_keys");
  ASSERT_TRUE(fk.ok());
  EXPECT_EQ(fk->rows[0][0], Value{std::int64_t{1}});

  // Through the writer connection.
  std::vector<Value> seen;
  auto done = db->Transact([&seen](Executor& tx) -> core::Result<void> {
    for (const char* pragma :
         {"PRAGMA journal_mode", "PRAGMA synchronous", "PRAGMA foreign_keys", "PRAGMA busy_timeout"}) {
      auto r = tx.Query(pragma);
      if (!r) return r.error();
      seen.push_back(r->rows[0][0]);
    }
    return core::Ok{};
  });
  ASSERT_TRUE(done.ok()) << done.error().internal_message();
  EXPECT_EQ(seen, (std::vector<Value>{Value{std::string("wal")}, Value{std::int64_t{2}}, Value{std::int64_t{1}},
                                      Value{std::int64_t{5000}}}));
  EXPECT_TRUE(std::filesystem::exists(dir_.File("test.db-wal")));
}

TEST_F(SqliteDatabaseTest, ForeignKeysAreEnforcedAsInternalErrors) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)").ok());
  ASSERT_TRUE(db->Execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent(id))").ok());
  ExpectInternal(db->Execute("INSERT INTO child VALUES (7)"), "step: FOREIGN KEY constraint failed");
}

TEST(SqliteMemoryTest, InMemoryDatabaseSharesOneConnection) {
  auto opened = SqliteDatabase::Open({":memory:", 4});
  ASSERT_TRUE(opened.ok()) << opened.error().internal_message();
  auto& db = **opened;
  EXPECT_EQ(db.driver(), "sqlite");
  ASSERT_TRUE(db.Execute("CREATE TABLE t (v TEXT)").ok());
  ASSERT_TRUE(db.Transact([](Executor& tx) -> core::Result<void> {
                  if (auto r = tx.Execute("INSERT INTO t VALUES ('x')"); !r) return r.error();
                  return core::Ok{};
                }).ok());
  // Reads go to the same connection, so they see the table and the row.
  auto rows = db.Query("SELECT v FROM t");
  ASSERT_TRUE(rows.ok()) << rows.error().internal_message();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->rows[0][0], Value{std::string("x")});
  auto mode = db.Query("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(mode->rows[0][0], Value{std::string("memory")});
  EXPECT_TRUE(db.Ping().ok());
}

TEST_F(SqliteDatabaseTest, PingAndDriver) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(db->Ping().ok());
  EXPECT_EQ(db->driver(), "sqlite");
}

TEST_F(SqliteDatabaseTest, OpenFailsInAMissingDirectory) {
  const std::string path = dir_.File("absent/test.db");
  auto db = SqliteDatabase::Open({path, 1});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().safe_message(), "database unavailable");
  EXPECT_EQ(db.error().internal_message(), "open " + path + ": unable to open database file");
}

TEST_F(SqliteDatabaseTest, ExecuteScriptRefusesAForeignExecutor) {
  class OtherExecutor final : public Executor {
   public:
    core::Result<Rows> Query(std::string_view, const Params&) override { return Rows{}; }
    core::Result<std::int64_t> Execute(std::string_view, const Params&) override { return std::int64_t{0}; }
  };
  auto db = Open();
  ASSERT_NE(db, nullptr);
  OtherExecutor other;
  auto r = db->ExecuteScript(other, "SELECT 1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(r.error().safe_message(), "database error");
  EXPECT_EQ(r.error().internal_message(), "foreign executor");
}

TEST_F(SqliteDatabaseTest, DataSurvivesReopen) {
  {
    auto db = Open();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Execute("CREATE TABLE t (v TEXT)").ok());
    ASSERT_TRUE(db->Execute("INSERT INTO t VALUES ('kept')").ok());
  }
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto rows = db->Query("SELECT v FROM t");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->rows[0][0], Value{std::string("kept")});
}

}  // namespace
}  // namespace atrium::storage::sqlite
