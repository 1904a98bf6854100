// IdentityService: registration, login, lockout and rehash-on-login.

#include <gtest/gtest.h>

#include "core/identity/identity_fixture.hpp"

namespace atrium::core::identity {
namespace {

using namespace std::chrono_literals;

class IdentityLoginTest : public IdentityTest {
 protected:
  Result<AuthResult> TryRegister(const std::string& email, const std::string& password = kPassword,
                                 std::optional<std::string> username = std::nullopt) {
    NewUser u;
    u.email = email;
    u.username = std::move(username);
    u.display_name = "Someone";
    u.password = password;
    return service_->Register(u, policy_, Client(), /*sign_in=*/true);
  }

  std::int64_t UserCount() {
    auto n = service_->users().Count();
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  std::string StoredHash(const std::string& user_id) {
    auto hash = service_->users().PasswordHash(user_id);
    EXPECT_TRUE(hash.ok());
    return hash.ok() ? *hash : std::string();
  }
};

TEST_F(IdentityLoginTest, RegisterCreatesTheUserAndSignsIn) {
  const AuthResult r = Register("Alice@Example.com", "Alice");
  EXPECT_FALSE(r.user.id.empty());
  EXPECT_EQ(r.user.email, "Alice@Example.com");
  EXPECT_EQ(r.user.username, "Alice");
  EXPECT_EQ(r.user.display_name, "Test User");
  EXPECT_EQ(r.user.role, Role::kUser);
  EXPECT_EQ(r.user.status, UserStatus::kActive);
  EXPECT_EQ(r.user.created_at, "2024-05-06T07:08:09Z");
  EXPECT_EQ(r.user.last_login_at, "2024-05-06T07:08:09Z");
  EXPECT_FALSE(r.session_id.empty());
  EXPECT_EQ(r.device, std::nullopt);
  EXPECT_EQ(r.tokens.expires_in, 900);
  EXPECT_FALSE(r.tokens.refresh_token.empty());

  auto who = service_->Authenticate(r.tokens.access_token);
  ASSERT_TRUE(who.ok()) << who.error().internal_message();
  EXPECT_EQ(who->user_id, r.user.id);
  EXPECT_EQ(who->session_id, r.session_id);
  EXPECT_EQ(who->role, Role::kUser);

  auto stored = service_->GetUser(r.user.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->email, "Alice@Example.com");
  EXPECT_EQ(stored->last_login_at, "2024-05-06T07:08:09Z");
}

TEST_F(IdentityLoginTest, RegisterWithoutSignInStartsNoSession) {
  NewUser u;
  u.email = "bob@example.com";
  u.password = kPassword;
  u.role = Role::kAdmin;
  auto r = service_->Register(u, policy_, Client(), /*sign_in=*/false);
  ASSERT_TRUE(r.ok()) << r.error().internal_message();
  EXPECT_TRUE(r->session_id.empty());
  EXPECT_TRUE(r->tokens.access_token.empty());
  EXPECT_TRUE(r->tokens.refresh_token.empty());
  auto sessions = service_->Sessions(r->user.id);
  ASSERT_TRUE(sessions.ok());
  EXPECT_TRUE(sessions->empty());
  const AuthResult login = Login("bob@example.com");
  EXPECT_EQ(login.user.role, Role::kAdmin);
}

TEST_F(IdentityLoginTest, RegisterRejectsAnInvalidEmail) {
  ExpectError(TryRegister("not-an-email"), ErrorCode::kInvalidArgument, Reason::kInvalidEmail, "Invalid email format");
  ExpectError(TryRegister("a b@example.com"), ErrorCode::kInvalidArgument, Reason::kInvalidEmail,
              "Invalid email format");
  EXPECT_EQ(UserCount(), 0);
}

TEST_F(IdentityLoginTest, RegisterRejectsAWeakPassword) {
  ExpectError(TryRegister("a@example.com", "short"), ErrorCode::kInvalidArgument, Reason::kWeakPassword,
              "Password must be at least 8 characters");
  policy_.require_digit = true;
  ExpectError(TryRegister("a@example.com", "no-digits-here"), ErrorCode::kInvalidArgument, Reason::kWeakPassword,
              "Password must be at least 8 characters and include a number");
  EXPECT_EQ(UserCount(), 0);
}

TEST_F(IdentityLoginTest, EmailsAreUniqueIgnoringCase) {
  Register("Alice@Example.com");
  ExpectError(TryRegister("alice@EXAMPLE.com"), ErrorCode::kAlreadyExists, Reason::kEmailExists,
              "Email already registered");
  EXPECT_EQ(UserCount(), 1);
}

TEST_F(IdentityLoginTest, UsernamesAreUniqueIgnoringCase) {
  Register("alice@example.com", "Alice");
  ExpectError(TryRegister("other@example.com", kPassword, "aLICE"), ErrorCode::kAlreadyExists, Reason::kUsernameExists,
              "Username already taken");
  EXPECT_EQ(UserCount(), 1);
  // Having no username is not a clash.
  Register("one@example.com");
  Register("two@example.com");
  EXPECT_EQ(UserCount(), 3);
}

TEST_F(IdentityLoginTest, LoginRequiresBothFields) {
  Register("alice@example.com");
  ExpectError(service_->Login("", kPassword, Client()), ErrorCode::kInvalidArgument, Reason::kMissingCredentials,
              "Email and password are required");
  ExpectError(service_->Login("alice@example.com", "", Client()), ErrorCode::kInvalidArgument,
              Reason::kMissingCredentials, "Email and password are required");
}

TEST_F(IdentityLoginTest, LoginSucceedsWithTheRightPasswordIgnoringEmailCase) {
  const AuthResult reg = Register("Alice@Example.com");
  const AuthResult login = Login("ALICE@example.COM");
  EXPECT_EQ(login.user.id, reg.user.id);
  EXPECT_NE(login.session_id, reg.session_id);
  EXPECT_NE(login.tokens.refresh_token, reg.tokens.refresh_token);
  ASSERT_TRUE(service_->Authenticate(login.tokens.access_token).ok());
  ASSERT_TRUE(service_->Authenticate(reg.tokens.access_token).ok());  // a new login ends no other session
  auto sessions = service_->Sessions(reg.user.id);
  ASSERT_TRUE(sessions.ok());
  EXPECT_EQ(sessions->size(), 2u);
}

TEST_F(IdentityLoginTest, UnknownEmailAndWrongPasswordGetTheSameAnswer) {
  Register("alice@example.com");
  auto unknown = service_->Login("nobody@example.com", kPassword, Client());
  auto wrong = service_->Login("alice@example.com", "Wrong-Horse-9", Client());
  ExpectError(unknown, ErrorCode::kUnauthenticated, Reason::kInvalidCredentials, "Invalid email or password");
  ExpectError(wrong, ErrorCode::kUnauthenticated, Reason::kInvalidCredentials, "Invalid email or password");
  ASSERT_FALSE(unknown.ok() || wrong.ok());
  EXPECT_EQ(unknown.error().internal_message(), wrong.error().internal_message());
}

TEST_F(IdentityLoginTest, DisabledAccountIsInactive) {
  const AuthResult r = Register("alice@example.com");
  ASSERT_TRUE(service_->SetStatus(r.user.id, UserStatus::kDisabled, std::nullopt).ok());
  ExpectError(service_->Login("alice@example.com", kPassword, Client()), ErrorCode::kUnauthenticated,
              Reason::kAccountInactive, "Account is disabled");
}

TEST_F(IdentityLoginTest, BannedAccountIsDeniedAndKeepsItsReason) {
  const AuthResult r = Register("alice@example.com");
  ASSERT_TRUE(service_->SetStatus(r.user.id, UserStatus::kBanned, "spam").ok());
  ExpectError(service_->Login("alice@example.com", kPassword, Client()), ErrorCode::kPermissionDenied,
              Reason::kAccountBanned, "Account is banned");
  auto user = service_->GetUser(r.user.id);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->status, UserStatus::kBanned);
  EXPECT_EQ(user->ban_reason, "spam");
  // Only the password's owner learns the account's standing.
  ExpectError(service_->Login("alice@example.com", "Wrong-Horse-9", Client()), ErrorCode::kUnauthenticated,
              Reason::kInvalidCredentials, "Invalid email or password");
  // Unbanning lets the owner back in.
  ASSERT_TRUE(service_->SetStatus(r.user.id, UserStatus::kActive, std::nullopt).ok());
  Login("alice@example.com");
}

TEST_F(IdentityLoginTest, SetStatusOfAnUnknownUserIsNotFound) {
  ExpectError(service_->SetStatus("no-such-user", UserStatus::kBanned, "spam"), ErrorCode::kNotFound,
              Reason::kUserNotFound, "User not found");
}

TEST_F(IdentityLoginTest, FiveFailuresLockTheAccountFromThatAddressOnly) {
  Register("alice@example.com");
  for (int i = 0; i < 5; ++i) {
    ExpectError(service_->Login("alice@example.com", "Wrong-Horse-9", Client("10.0.0.1")), ErrorCode::kUnauthenticated,
                Reason::kInvalidCredentials, "Invalid email or password");
  }
  clock_.Advance(500ms);  // 899.5 s left, reported rounded up
  // Locked even with the right password.
  ExpectError(service_->Login("alice@example.com", kPassword, Client("10.0.0.1")), ErrorCode::kUnauthenticated,
              Reason::kAccountLocked, "Too many failed attempts; try again in 900 seconds");
  ExpectError(service_->Login("ALICE@example.com", kPassword, Client("10.0.0.1")), ErrorCode::kUnauthenticated,
              Reason::kAccountLocked, "Too many failed attempts; try again in 900 seconds");
  // The owner elsewhere is not locked out.
  Login("alice@example.com", Client("10.0.0.2"));
}

TEST_F(IdentityLoginTest, TheLockExpiresAfterFifteenMinutes) {
  Register("alice@example.com");
  for (int i = 0; i < 5; ++i) (void)service_->Login("alice@example.com", "Wrong-Horse-9", Client("10.0.0.1"));
  clock_.Advance(15min - 1s);
  ExpectError(service_->Login("alice@example.com", kPassword, Client("10.0.0.1")), ErrorCode::kUnauthenticated,
              Reason::kAccountLocked, "Too many failed attempts; try again in 1 seconds");
  clock_.Advance(1s);
  Login("alice@example.com", Client("10.0.0.1"));
}

TEST_F(IdentityLoginTest, FailuresCountPerAccountIgnoringEmailCase) {
  Register("alice@example.com");
  for (const char* email : {"alice@example.com", "ALICE@example.com", "Alice@Example.com", "alice@EXAMPLE.COM"}) {
    (void)service_->Login(email, "Wrong-Horse-9", Client());
  }
  ASSERT_FALSE(service_->Login("alice@example.com", "Wrong-Horse-9", Client()).ok());
  ExpectError(service_->Login("alice@example.com", kPassword, Client()), ErrorCode::kUnauthenticated,
              Reason::kAccountLocked, "Too many failed attempts; try again in 900 seconds");
}

TEST_F(IdentityLoginTest, FailuresForUnknownEmailsAlsoLock) {
  for (int i = 0; i < 5; ++i) (void)service_->Login("nobody@example.com", kPassword, Client());
  ExpectError(service_->Login("nobody@example.com", kPassword, Client()), ErrorCode::kUnauthenticated,
              Reason::kAccountLocked, "Too many failed attempts; try again in 900 seconds");
}

// A throttle whose store is unreachable: every call fails.
class UnreachableThrottle final : public LoginThrottle {
 public:
  Result<std::int64_t> LockedFor(const std::string&, const std::string&) override { return Down(); }
  Result<void> RecordFailure(const std::string&, const std::string&) override { return Down(); }
  Result<void> RecordSuccess(const std::string&, const std::string&) override { return Down(); }
  int calls = 0;

 private:
  Error Down() {
    ++calls;
    return Error(ErrorCode::kUnavailable, "throttle unavailable", "store down");
  }
};

TEST_F(IdentityLoginTest, AnUnreachableThrottleFailsOpen) {
  static_assert(LoginThrottle::kOnFailure == FailMode::kOpen);
  Register("alice@example.com");
  UnreachableThrottle down;
  IdentityService service(repos(), hasher_, tokens_, clock_, random_, events_, down, IdentityOptions{});
  // Wrong passwords are still refused as such, and never lock (nothing is recorded)...
  for (int i = 0; i < 6; ++i) {
    ExpectError(service.Login("alice@example.com", "Wrong-Horse-9", Client()), ErrorCode::kUnauthenticated,
                Reason::kInvalidCredentials, "Invalid email or password");
  }
  // ...and the right one signs in.
  auto ok = service.Login("alice@example.com", kPassword, Client());
  ASSERT_TRUE(ok.ok()) << ok.error().internal_message();
  EXPECT_EQ(down.calls, 2 * 6 + 2);  // each attempt asked for the lock and recorded its outcome
}

TEST_F(IdentityLoginTest, ASuccessfulLoginClearsTheFailureCount) {
  Register("alice@example.com");
  for (int i = 0; i < 4; ++i) (void)service_->Login("alice@example.com", "Wrong-Horse-9", Client());
  Login("alice@example.com");
  for (int i = 0; i < 4; ++i) (void)service_->Login("alice@example.com", "Wrong-Horse-9", Client());
  Login("alice@example.com");
}

TEST_F(IdentityLoginTest, LoginUpgradesAWeakerHash) {
  const AuthResult r = Register("alice@example.com");
  const std::string cheap_hash = StoredHash(r.user.id);
  ASSERT_EQ(cheap_hash.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << cheap_hash;

  PasswordHasher stronger({.memory_kib = 2048, .iterations = 2, .parallelism = 1}, random_, 1);
  auto upgraded = MakeService(stronger);
  ASSERT_TRUE(upgraded->Login("alice@example.com", kPassword, Client()).ok());
  const std::string strong_hash = StoredHash(r.user.id);
  EXPECT_EQ(strong_hash.rfind("$argon2id$v=19$m=2048,t=2,p=1$", 0), 0u) << strong_hash;
  auto still = upgraded->CheckPassword(r.user.id, kPassword);
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(*still);

  // Equal or stronger stored parameters are left alone, also by a weaker configuration.
  ASSERT_TRUE(upgraded->Login("alice@example.com", kPassword, Client()).ok());
  EXPECT_EQ(StoredHash(r.user.id), strong_hash);
  Login("alice@example.com");
  EXPECT_EQ(StoredHash(r.user.id), strong_hash);
}

TEST_F(IdentityLoginTest, AFailedLoginDoesNotRehash) {
  const AuthResult r = Register("alice@example.com");
  const std::string cheap_hash = StoredHash(r.user.id);
  PasswordHasher stronger({.memory_kib = 2048, .iterations = 2, .parallelism = 1}, random_, 1);
  auto upgraded = MakeService(stronger);
  ASSERT_FALSE(upgraded->Login("alice@example.com", "Wrong-Horse-9", Client()).ok());
  EXPECT_EQ(StoredHash(r.user.id), cheap_hash);
}

TEST_F(IdentityLoginTest, LoginWithADeviceRegistersItOnce) {
  const AuthResult reg = Register("alice@example.com");
  const AuthResult first = Login("alice@example.com", Client("10.0.0.1", Phone()));
  ASSERT_TRUE(first.device.has_value());
  EXPECT_EQ(first.device->user_id, reg.user.id);
  EXPECT_EQ(first.device->info.fingerprint, "fp-phone");
  EXPECT_EQ(first.device->info.name, "My Phone");
  EXPECT_EQ(first.device->info.type, "ios");
  EXPECT_EQ(first.device->info.model, "iPhone15,2");
  EXPECT_EQ(first.device->info.os_version, "17.4");
  EXPECT_EQ(first.device->info.app_version, "2.1.0");
  EXPECT_EQ(first.device->created_at, "2024-05-06T07:08:09Z");

  clock_.Advance(1h);
  DeviceInfo renamed = Phone();
  renamed.name = "Renamed Phone";
  const AuthResult second = Login("alice@example.com", Client("10.0.0.1", renamed));
  ASSERT_TRUE(second.device.has_value());
  EXPECT_EQ(second.device->id, first.device->id);
  EXPECT_EQ(second.device->info.name, "Renamed Phone");
  EXPECT_EQ(second.device->last_seen_at, "2024-05-06T08:08:09Z");
  EXPECT_EQ(second.device->created_at, "2024-05-06T07:08:09Z");

  auto devices = service_->Devices(reg.user.id);
  ASSERT_TRUE(devices.ok());
  ASSERT_EQ(devices->size(), 1u);
  EXPECT_EQ((*devices)[0].id, first.device->id);
}

}  // namespace
}  // namespace atrium::core::identity
