#include "core/identity/api_keys.hpp"

#include <gtest/gtest.h>

#include "core/identity/identity_fixture.hpp"

namespace atrium::core::identity {
namespace {

constexpr const char* kConfiguredKey = "configured-key-0123456789";

class ApiKeysTest : public IdentityTest {
 protected:
  ApiKeys Keys(std::map<std::string, std::string> configured = {{kConfiguredKey, "svc-user"}}) {
    return ApiKeys(repos(), clock_, key_random_, configured);
  }

  testing::FakeRandom key_random_;
};

void ExpectInvalidKey(const Result<Principal>& r) {
  ExpectError(r, ErrorCode::kUnauthenticated, Reason::kInvalidApiKey, "Invalid or missing API key");
}

TEST_F(ApiKeysTest, ConfiguredKeyAuthenticatesAsItsUser) {
  ApiKeys keys = Keys();
  ASSERT_TRUE(keys.EnsureConfiguredUsers().ok());
  auto who = keys.Authenticate(kConfiguredKey);
  ASSERT_TRUE(who.ok()) << who.error().internal_message();
  EXPECT_EQ(who->user_id, "svc-user");
  EXPECT_EQ(who->session_id, "");
  EXPECT_EQ(who->role, Role::kUser);
}

TEST_F(ApiKeysTest, EnsureConfiguredUsersCreatesThemOnce) {
  ApiKeys keys = Keys({{kConfiguredKey, "svc-user"}, {"another-configured-key-42", "svc-two"}});
  ASSERT_TRUE(keys.EnsureConfiguredUsers().ok());
  ASSERT_TRUE(keys.EnsureConfiguredUsers().ok());  // every start-up: no duplicates, no error
  auto count = service_->users().Count();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2);
  auto user = service_->GetUser("svc-user");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->email, "apikey-svc-user@localhost");
  EXPECT_EQ(user->display_name, "API key user");
  EXPECT_EQ(user->status, UserStatus::kActive);
  EXPECT_EQ(user->created_at, "2024-05-06T07:08:09Z");
  auto two = keys.Authenticate("another-configured-key-42");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->user_id, "svc-two");
}

TEST_F(ApiKeysTest, ConfiguredUsersCannotLogInWithAPassword) {
  ApiKeys keys = Keys();
  ASSERT_TRUE(keys.EnsureConfiguredUsers().ok());
  for (const char* password : {"!", kPassword, "x"}) {
    ExpectError(service_->Login("apikey-svc-user@localhost", password, Client()), ErrorCode::kUnauthenticated,
                Reason::kInvalidCredentials, "Invalid email or password");
  }
}

TEST_F(ApiKeysTest, ConfiguredUsersKeepAnExistingAccount) {
  const AuthResult r = Register("alice@example.com");
  ApiKeys keys = Keys({{kConfiguredKey, r.user.id}});
  ASSERT_TRUE(keys.EnsureConfiguredUsers().ok());
  auto user = service_->GetUser(r.user.id);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->email, "alice@example.com");
  Login("alice@example.com");
  auto who = keys.Authenticate(kConfiguredKey);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->user_id, r.user.id);
}

TEST_F(ApiKeysTest, UnknownOrMalformedKeysAreInvalid) {
  ApiKeys keys = Keys();
  ASSERT_TRUE(keys.EnsureConfiguredUsers().ok());
  ExpectInvalidKey(keys.Authenticate("no-such-key"));
  ExpectInvalidKey(keys.Authenticate(""));
  ExpectInvalidKey(keys.Authenticate(std::string(kConfiguredKey) + " "));
  ExpectInvalidKey(keys.Authenticate(std::string(513, 'k')));
}

TEST_F(ApiKeysTest, ConfiguredKeyWithoutItsUserIsInvalid) {
  ApiKeys keys = Keys();  // EnsureConfiguredUsers not called
  ExpectInvalidKey(keys.Authenticate(kConfiguredKey));
}

TEST_F(ApiKeysTest, CreatedKeyAuthenticatesAsItsOwner) {
  const AuthResult r = Register("alice@example.com");
  ApiKeys keys = Keys({});
  auto key = keys.Create(r.user.id, "ci");
  ASSERT_TRUE(key.ok()) << key.error().internal_message();
  // "sk-" and 32 bytes from the fake (00 01 .. 1f) in base64url.
  EXPECT_EQ(*key, "sk-AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
  auto who = keys.Authenticate(*key);
  ASSERT_TRUE(who.ok()) << who.error().internal_message();
  EXPECT_EQ(who->user_id, r.user.id);
  EXPECT_EQ(who->session_id, "");
  EXPECT_EQ(who->role, Role::kUser);

  // Only the hash is stored.
  auto rows = db_->Query("SELECT key_hash, name, created_at FROM api_keys");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_NE(storage::AsText(rows->rows[0][0]), *key);
  EXPECT_EQ(storage::AsText(rows->rows[0][0]).value_or("").size(), 64u);
  EXPECT_EQ(storage::AsText(rows->rows[0][1]), "ci");
  EXPECT_EQ(storage::AsText(rows->rows[0][2]), "2024-05-06T07:08:09Z");

  // A second key is different and both work; another ApiKeys over the same database
  // (a restart) still knows them.
  auto second = keys.Create(r.user.id, "laptop");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, *key);
  ApiKeys restarted = Keys({});
  EXPECT_TRUE(restarted.Authenticate(*key).ok());
  EXPECT_TRUE(restarted.Authenticate(*second).ok());
}

TEST_F(ApiKeysTest, CreateForAnUnknownUserIsNotFound) {
  ApiKeys keys = Keys({});
  ExpectError(keys.Create("no-such-user", "ci"), ErrorCode::kNotFound, Reason::kUserNotFound, "User not found");
}

TEST_F(ApiKeysTest, KeysFollowTheOwnersRoleAndStanding) {
  const AuthResult r = Register("alice@example.com");
  ApiKeys keys = Keys({{kConfiguredKey, r.user.id}});
  auto created = keys.Create(r.user.id, "ci");
  ASSERT_TRUE(created.ok());

  ASSERT_TRUE(service_->SetRole(r.user.id, Role::kAdmin).ok());
  auto admin = keys.Authenticate(*created);
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->role, Role::kAdmin);

  ASSERT_TRUE(service_->SetStatus(r.user.id, UserStatus::kBanned, "spam").ok());
  for (const std::string& key : {*created, std::string(kConfiguredKey)}) {
    ExpectError(keys.Authenticate(key), ErrorCode::kPermissionDenied, Reason::kAccountBanned, "Account is banned");
  }
  ASSERT_TRUE(service_->SetStatus(r.user.id, UserStatus::kDisabled, std::nullopt).ok());
  for (const std::string& key : {*created, std::string(kConfiguredKey)}) {
    ExpectError(keys.Authenticate(key), ErrorCode::kUnauthenticated, Reason::kAccountInactive, "Account is disabled");
  }
  ASSERT_TRUE(service_->SetStatus(r.user.id, UserStatus::kActive, std::nullopt).ok());
  EXPECT_TRUE(keys.Authenticate(*created).ok());
}

}  // namespace
}  // namespace atrium::core::identity
