// Units of work: several repositories' writes commit together, and a failing write
// (injected through the interface) leaves nothing of the unit behind.

#include "core/audit/audit_repository.hpp"
#include "storage/contract/contract_fixture.hpp"
#include "support/failing_audit_repository.hpp"

namespace atrium::storage::contract {
namespace {

using core::ErrorCode;
using core::persistence::Isolation;
using core::persistence::UnitOfWork;

core::audit::AuditEntry Entry(const std::string& id, const std::string& admin, const std::string& action) {
  return {id, admin, "", action, "target", {}, "2024-05-06T07:08:09Z"};
}

TEST_P(StorageContract, WritesOfSeveralRepositoriesCommitTogether) {
  for (auto isolation : {Isolation::kReadCommitted, Isolation::kSerializable}) {
    const std::string id = isolation == Isolation::kReadCommitted ? "rc" : "ser";
    auto r = Run(
        [&](UnitOfWork& uow) -> core::Result<void> {
          if (auto u = repos().users.Insert(uow, MakeUser(id, id + "@example.com"), "h"); !u) return u;
          // Reads inside the unit see its own writes.
          auto seen = repos().users.FindById(uow, id);
          if (!seen) return seen.error();
          EXPECT_TRUE(seen->has_value());
          auto email = repos().audit.Append(uow, Entry("a-" + id, id, "create_user"));
          if (!email) return email.error();
          EXPECT_EQ(*email, id + "@example.com");  // taken from the account
          return core::Ok{};
        },
        isolation);
    ASSERT_TRUE(r.ok()) << r.error().internal_message();
    EXPECT_TRUE(repos().users.FindById(id)->has_value());
  }
  EXPECT_EQ(repos().audit.List("create_user", 0, 10)->total, 2);
}

TEST_P(StorageContract, AFailingWriteLeavesNothingOfItsUnitBehind) {
  atrium::testing::FailingAuditRepository audit(repos().audit);
  auto r = Run([&](UnitOfWork& uow) -> core::Result<void> {
    if (auto u = repos().users.Insert(uow, MakeUser("u1", "u1@example.com"), "h"); !u) return u;
    auto a = audit.Append(uow, Entry("a1", "u1", "create_user"));
    if (!a) return a.error();
    return core::Ok{};
  });
  ExpectCode(r, ErrorCode::kUnavailable);  // the failing write's own error, unchanged
  EXPECT_FALSE(repos().users.FindById("u1")->has_value());
  EXPECT_EQ(repos().audit.List("", 0, 10)->total, 0);

  audit.failing = false;
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                if (auto u = repos().users.Insert(uow, MakeUser("u1", "u1@example.com"), "h"); !u) return u;
                auto a = audit.Append(uow, Entry("a1", "u1", "create_user"));
                if (!a) return a.error();
                return core::Ok{};
              }).ok());
  EXPECT_TRUE(repos().users.FindById("u1")->has_value());
}

TEST_P(StorageContract, AConstraintFailureRollsBackTheEarlierWritesOfItsUnit) {
  AddUser("u1", "taken@example.com");
  auto r = Run([&](UnitOfWork& uow) -> core::Result<void> {
    if (auto a = repos().audit.Append(uow, Entry("a1", "u1", "create_user")); !a) return a.error();
    return repos().users.Insert(uow, MakeUser("u2", "taken@example.com"), "h");
  });
  ExpectCode(r, ErrorCode::kAlreadyExists, core::Reason::kEmailExists);
  EXPECT_EQ(repos().audit.List("", 0, 10)->total, 0);
}

TEST_P(StorageContract, AuditEntriesAreListedNewestFirst) {
  AddUser("admin", "admin@example.com");
  for (const char* id : {"a1", "a2", "a3"}) {
    ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                  auto e = Entry(id, "admin", std::string(id) == "a2" ? "ban_user" : "other");
                  if (std::string(id) == "a3") e.admin_email = "kept@example.com";
                  auto a = repos().audit.Append(uow, e);
                  if (!a) return a.error();
                  return core::Ok{};
                }).ok());
  }
  auto all = repos().audit.List("", 0, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->entries.size(), 3u);
  EXPECT_EQ(all->entries[0].id, "a3");
  EXPECT_EQ(all->entries[0].admin_email, "kept@example.com");
  EXPECT_EQ(all->entries[2].id, "a1");
  EXPECT_EQ(all->entries[2].admin_email, "admin@example.com");
  auto bans = repos().audit.List("ban_user", 0, 10);
  EXPECT_EQ(bans->total, 1);
  auto page = repos().audit.List("", 1, 1);
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].id, "a2");
  EXPECT_EQ(page->total, 3);
}

// Every kind of audit value comes back as it was recorded, in order.
TEST_P(StorageContract, AuditDetailsRoundTripInOrder) {
  core::audit::AuditEntry e = Entry("a1", "u1", "update_template");
  e.details = {{"reason", nullptr},
               {"include_messages", true},
               {"tokens_limit", std::int64_t{-1}},
               {"name", std::string("Caf\u00e9 \"quoted\"")},
               {"fields", std::vector<std::string>{"name", "model_id"}},
               {"empty", std::vector<std::string>{}}};
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                if (auto a = repos().audit.Append(uow, e); !a) return a.error();
                return core::Ok{};
              }).ok());
  auto page = repos().audit.List("update_template", 0, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].details, e.details);
}

}  // namespace
}  // namespace atrium::storage::contract
