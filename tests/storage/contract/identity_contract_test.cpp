// Users, sessions and API keys through their repositories.

#include "core/identity/api_key_repository.hpp"
#include "core/identity/session_repository.hpp"
#include "storage/contract/contract_fixture.hpp"

namespace atrium::storage::contract {
namespace {

using core::ErrorCode;
using core::persistence::UnitOfWork;

TEST_P(StorageContract, UsersAreFoundByIdAndByEmailIgnoringCase) {
  AddUser("u1", "Ann@Example.com");
  auto by_id = repos().users.FindById("u1");
  ASSERT_TRUE(by_id.ok()) << by_id.error().internal_message();
  ASSERT_TRUE(by_id->has_value());
  EXPECT_EQ((*by_id)->email, "Ann@Example.com");
  EXPECT_EQ((*by_id)->display_name, "User u1");
  auto by_email = repos().users.FindByEmail("ann@EXAMPLE.com");
  ASSERT_TRUE(by_email.ok());
  ASSERT_TRUE(by_email->has_value());
  EXPECT_EQ((*by_email)->first.id, "u1");
  EXPECT_EQ((*by_email)->second, "hash-u1");
  EXPECT_FALSE(repos().users.FindById("nobody")->has_value());
  ExpectCode(repos().users.PasswordHash("nobody"), ErrorCode::kNotFound, core::Reason::kUserNotFound);
}

TEST_P(StorageContract, AUniqueViolationIsAlreadyExistsWithItsReason) {
  AddUser("u1", "ann@example.com");
  auto same_email =
      Run([&](UnitOfWork& uow) { return repos().users.Insert(uow, MakeUser("u2", "ANN@example.com"), "h"); });
  ExpectCode(same_email, ErrorCode::kAlreadyExists, core::Reason::kEmailExists);

  auto named = MakeUser("u3", "bob@example.com");
  named.username = "Bob";
  ASSERT_TRUE(Run([&](UnitOfWork& uow) { return repos().users.Insert(uow, named, "h"); }).ok());
  auto clash = MakeUser("u4", "carl@example.com");
  clash.username = "bob";
  ExpectCode(Run([&](UnitOfWork& uow) { return repos().users.Insert(uow, clash, "h"); }), ErrorCode::kAlreadyExists,
             core::Reason::kUsernameExists);
  EXPECT_EQ(*repos().users.Count(), 2);
}

TEST_P(StorageContract, AForeignKeyViolationIsInternalNotAlreadyExists) {
  core::identity::Session s;
  s.id = "s1";
  s.user_id = "no-such-user";
  s.created_at = s.last_activity_at = "2024-05-06T07:08:09Z";
  auto r = Run([&](UnitOfWork& uow) { return repos().sessions.InsertSession(uow, s); });
  ExpectCode(r, ErrorCode::kInternal);
}

TEST_P(StorageContract, UsersAreListedOldestFirstThenById) {
  AddUser("b", "b@example.com", "2024-01-02T00:00:00Z");
  AddUser("a", "a@example.com", "2024-01-02T00:00:00Z");
  AddUser("c", "c@example.com", "2024-01-01T00:00:00Z");
  auto all = repos().users.List(10, 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "c");
  EXPECT_EQ((*all)[1].id, "a");
  EXPECT_EQ((*all)[2].id, "b");
  auto page = repos().users.List(1, 1);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, "a");

  auto found = repos().users.Search("B@EXAMPLE", true, 10, 0);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->second, 1);
  ASSERT_EQ(found->first.size(), 1u);
  EXPECT_EQ(found->first[0].id, "b");
}

TEST_P(StorageContract, StatusRoleAndLimitChangesReportUnknownUsers) {
  AddUser("u1", "u1@example.com");
  const std::string now = "2024-05-07T00:00:00Z";
  ASSERT_TRUE(Run([&](UnitOfWork& uow) {
                return repos().users.SetStatus(uow, "u1", core::identity::UserStatus::kBanned, "spam", now);
              }).ok());
  ASSERT_TRUE(Run([&](UnitOfWork& uow) { return repos().users.SetTokenLimit(uow, "u1", 500, now); }).ok());
  auto u = *repos().users.FindById("u1");
  EXPECT_EQ(u->status, core::identity::UserStatus::kBanned);
  EXPECT_EQ(u->ban_reason, "spam");
  EXPECT_EQ(u->usage.tokens_limit, 500);
  EXPECT_EQ(u->updated_at, now);
  ExpectCode(
      Run([&](UnitOfWork& uow) { return repos().users.SetRole(uow, "ghost", core::identity::Role::kAdmin, now); }),
      ErrorCode::kNotFound, core::Reason::kUserNotFound);
  EXPECT_FALSE(repos().users.Search("", false, 10, 0)->second);  // banned users left out
}

TEST_P(StorageContract, InsertIfAbsentKeepsAnExistingAccount) {
  AddUser("svc", "real@example.com");
  bool inserted = true;
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                auto r = repos().users.InsertIfAbsent(uow, MakeUser("svc", "apikey-svc@localhost"));
                if (!r) return r.error();
                inserted = *r;
                return core::Ok{};
              }).ok());
  EXPECT_FALSE(inserted);
  EXPECT_EQ((*repos().users.FindById("svc"))->email, "real@example.com");
}

TEST_P(StorageContract, ARefreshTokenIsSpentOnceAndRevocationsCountWhatTheyRevoked) {
  AddUser("u1", "u1@example.com");
  const std::string now = "2024-05-06T07:08:09Z";
  core::identity::DeviceInfo phone{"fp", "Phone", "ios", "x", "17", "2"};
  std::string device_id;
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                auto d = repos().sessions.UpsertDevice(uow, "u1", phone, "d1", now);
                if (!d) return d.error();
                device_id = d->id;
                phone.name = "Renamed";
                auto again = repos().sessions.UpsertDevice(uow, "u1", phone, "d2", now);
                if (!again) return again.error();
                EXPECT_EQ(again->id, "d1");  // one device per fingerprint
                EXPECT_EQ(again->info.name, "Renamed");
                for (const char* id : {"s1", "s2"}) {
                  core::identity::Session s;
                  s.id = id;
                  s.user_id = "u1";
                  s.device_id = device_id;
                  s.created_at = s.last_activity_at = now;
                  if (auto r = repos().sessions.InsertSession(uow, s); !r) return r;
                }
                return repos().sessions.InsertRefresh(uow, "hash1", "s1", "u1", 100, 200);
              }).ok());

  std::vector<bool> marks;
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                  auto m = repos().sessions.MarkRefreshUsed(uow, "hash1", 150);
                  if (!m) return m.error();
                  marks.push_back(*m);
                  return core::Ok{};
                }).ok());
  }
  EXPECT_EQ(marks, (std::vector<bool>{true, false}));

  std::vector<std::string> revoked;
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                auto found = repos().sessions.FindRefresh(uow, "hash1");
                if (!found) return found.error();
                EXPECT_TRUE((*found)->used);
                EXPECT_FALSE((*found)->revoked);
                auto ids = repos().sessions.RevokeDeviceSessions(uow, "u1", device_id, now);
                if (!ids) return ids.error();
                revoked = *ids;
                auto none = repos().sessions.RevokeAllSessions(uow, "u1", std::nullopt, now);
                if (!none) return none.error();
                EXPECT_EQ(*none, 0);
                return core::Ok{};
              }).ok());
  std::sort(revoked.begin(), revoked.end());
  EXPECT_EQ(revoked, (std::vector<std::string>{"s1", "s2"}));
  auto state = repos().sessions.State("u1", "s1");
  ASSERT_TRUE(state.ok());
  ASSERT_TRUE(state->has_value());
  EXPECT_TRUE((*state)->revoked);
  EXPECT_TRUE(repos().sessions.ActiveSessions("u1")->empty());
}

TEST_P(StorageContract, ApiKeysNeedAnExistingOwner) {
  AddUser("u1", "u1@example.com");
  auto insert = [&](const std::string& user) {
    bool stored = false;
    auto r = Run([&](UnitOfWork& uow) -> core::Result<void> {
      auto s = repos().api_keys.Insert(uow, "keyhash-" + user, user, "ci", "2024-05-06T07:08:09Z");
      if (!s) return s.error();
      stored = *s;
      return core::Ok{};
    });
    EXPECT_TRUE(r.ok());
    return stored;
  };
  EXPECT_TRUE(insert("u1"));
  EXPECT_FALSE(insert("ghost"));
  EXPECT_EQ(*repos().api_keys.FindOwner("keyhash-u1"), std::optional<std::string>("u1"));
  EXPECT_EQ(*repos().api_keys.FindOwner("keyhash-ghost"), std::nullopt);
}

}  // namespace
}  // namespace atrium::storage::contract
