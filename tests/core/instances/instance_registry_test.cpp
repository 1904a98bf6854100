// The start-up rule of the instance registry over a real SQLite database: a second
// live instance without Redis is refused (and leaves no row), instances that share
// state through Redis may run together, dead rows (past the TTL, or a crashed process
// on this host) do not count, and heartbeats keep a row alive.

#include "core/instances/instance_registry.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "core/instances/instance_repository.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::instances {
namespace {

using namespace std::chrono_literals;

class InstanceRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 2});
    ASSERT_TRUE(db.ok()) << db.error().internal_message();
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, storage::sqlite::SqliteMigrations()).ok());
    stores_ = storage::sqlite::OpenRepositories(*db_, clock_, random_);
  }

  std::unique_ptr<InstanceRegistry> Registry(const std::string& id, bool shared, const std::string& host = "h1",
                                             std::int64_t pid = 100, std::function<bool(std::int64_t)> gone = {}) {
    if (!gone) gone = [](std::int64_t) { return false; };
    return std::make_unique<InstanceRegistry>(stores_->repos().transactions, stores_->repos().instances, clock_,
                                              Instance{id, host, pid, shared, {}, {}},
                                              RegistrySettings{.heartbeat = 20ms, .ttl = 15000ms}, std::move(gone));
  }

  std::vector<std::string> Ids() {
    std::vector<std::string> out;
    auto all = stores_->repos().instances.List();
    EXPECT_TRUE(all.ok());
    if (all.ok()) {
      for (const auto& i : *all) out.push_back(i.id);
    }
    return out;
  }

  atrium::testing::TempDir dir_;
  atrium::testing::FakeClock clock_;
  atrium::testing::SeededRandom random_;
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
};

TEST_F(InstanceRegistryTest, ASecondInstanceWithoutRedisIsRefusedAndLeavesNoRow) {
  auto a = Registry("a", false);
  ASSERT_TRUE(a->Join().ok());
  clock_.Advance(2s);
  auto b = Registry("b", false, "h2", 200);
  auto joined = b->Join();
  ASSERT_FALSE(joined.ok());
  EXPECT_EQ(joined.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(joined.error().safe_message(),
            "another Atrium instance uses this database: instance a (host h1, pid 100, last heartbeat 2 s ago). "
            "Without Redis (redis.url) each instance keeps its own rate limits and event bus, so they would "
            "silently split; set redis.url on every instance, or stop the other one");
  EXPECT_EQ(Ids(), (std::vector<std::string>{"a"}));
}

TEST_F(InstanceRegistryTest, InstancesSharingStateThroughRedisRunTogether) {
  auto a = Registry("a", true);
  auto b = Registry("b", true, "h2", 200);
  ASSERT_TRUE(a->Join().ok());
  ASSERT_TRUE(b->Join().ok());
  EXPECT_EQ(Ids(), (std::vector<std::string>{"a", "b"}));
  // One with Redis next to one without is refused all the same.
  auto c = Registry("c", false, "h3", 300);
  EXPECT_EQ(c->Join().error().code(), ErrorCode::kAlreadyExists);
  b->Leave();
  a->Leave();
  EXPECT_TRUE(Ids().empty());
}

TEST_F(InstanceRegistryTest, ARedisInstanceRefusesToJoinOneWithout) {
  auto a = Registry("a", false);
  ASSERT_TRUE(a->Join().ok());
  auto b = Registry("b", true, "h2", 200);
  auto joined = b->Join();
  ASSERT_FALSE(joined.ok());
  EXPECT_EQ(joined.error().safe_message(),
            "instance a (host h1, pid 100, last heartbeat 0 s ago) uses this database without Redis (redis.url): "
            "rate limits and events would split; restart it with redis.url set");
}

TEST_F(InstanceRegistryTest, ARowPastTheTtlIsDeadAndPruned) {
  auto a = Registry("a", false);
  ASSERT_TRUE(a->Join().ok());  // never heartbeats: Start was not called
  clock_.Advance(16s);
  auto b = Registry("b", false, "h2", 200);
  ASSERT_TRUE(b->Join().ok());
  EXPECT_EQ(Ids(), (std::vector<std::string>{"b"}));
}

TEST_F(InstanceRegistryTest, ACrashedProcessOnThisHostDoesNotCount) {
  auto crashed = Registry("a", false, "h1", 100);
  ASSERT_TRUE(crashed->Join().ok());
  auto other_host = Registry("x", false, "h9", 100, [](std::int64_t) { return true; });
  EXPECT_FALSE(other_host->Join().ok());  // another host's pid says nothing here
  auto restarted = Registry("b", false, "h1", 101, [](std::int64_t pid) { return pid == 100; });
  ASSERT_TRUE(restarted->Join().ok());
  EXPECT_EQ(Ids(), (std::vector<std::string>{"b"}));
}

TEST_F(InstanceRegistryTest, HeartbeatsKeepTheRowAlive) {
  auto a = Registry("a", false);
  ASSERT_TRUE(a->Join().ok());
  a->Start();
  clock_.Advance(16s);
  std::this_thread::sleep_for(200ms);  // several 20 ms beats at the new time
  auto b = Registry("b", false, "h2", 200);
  EXPECT_EQ(b->Join().error().code(), ErrorCode::kAlreadyExists);
  a->Leave();
  ASSERT_TRUE(b->Join().ok());
}

}  // namespace
}  // namespace atrium::core::instances
