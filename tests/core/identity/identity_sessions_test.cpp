// IdentityService: what ends a session, whose sessions and devices a user may touch,
// password changes, account standing and atomic user updates.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <latch>
#include <thread>
#include <vector>

#include "core/identity/identity_fixture.hpp"

namespace atrium::core::identity {
namespace {

using namespace std::chrono_literals;

using IdentitySessionsTest = IdentityTest;

template <class R>
void ExpectRevoked(const R& r) {
  ExpectError(r, ErrorCode::kUnauthenticated, Reason::kSessionRevoked, "Session has been revoked");
}

std::vector<std::string> SessionIds(const Result<std::vector<Session>>& sessions) {
  std::vector<std::string> ids;
  if (sessions.ok()) {
    for (const auto& s : *sessions) ids.push_back(s.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::string> DeviceIds(const Result<std::vector<Device>>& devices) {
  std::vector<std::string> ids;
  if (devices.ok()) {
    for (const auto& d : *devices) ids.push_back(d.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST_F(IdentitySessionsTest, AuthenticateRejectsBadTokens) {
  const AuthResult r = Register("alice@example.com");
  ExpectError(service_->Authenticate("not.a.token"), ErrorCode::kUnauthenticated, Reason::kInvalidToken,
              "Invalid or malformed token");
  ExpectError(service_->Authenticate(r.tokens.refresh_token), ErrorCode::kUnauthenticated, Reason::kInvalidToken,
              "Invalid or malformed token");
  clock_.Advance(15min);
  ExpectError(service_->Authenticate(r.tokens.access_token), ErrorCode::kUnauthenticated, Reason::kTokenExpired,
              "Token has expired");
}

TEST_F(IdentitySessionsTest, AValidTokenForAMissingSessionIsRevoked) {
  const AuthResult r = Register("alice@example.com");
  ExpectRevoked(service_->Authenticate(tokens_.Issue(r.user.id, "no-such-session", "user").token));
  ExpectRevoked(service_->Authenticate(tokens_.Issue("someone-else", r.session_id, "user").token));
}

TEST_F(IdentitySessionsTest, RoleComesFromTheUserNotTheToken) {
  const AuthResult r = Register("alice@example.com");
  ASSERT_TRUE(service_->SetRole(r.user.id, Role::kAdmin).ok());
  auto who = service_->Authenticate(r.tokens.access_token);  // issued when alice was a user
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->role, Role::kAdmin);
  ExpectError(service_->SetRole("no-such-user", Role::kAdmin), ErrorCode::kNotFound, Reason::kUserNotFound,
              "User not found");
}

TEST_F(IdentitySessionsTest, LogoutEndsOnlyThisSession) {
  const AuthResult a = Register("alice@example.com");
  const AuthResult b = Login("alice@example.com");
  ASSERT_TRUE(service_->Logout(Who(a), /*all_devices=*/false).ok());
  ExpectRevoked(service_->Authenticate(a.tokens.access_token));
  EXPECT_TRUE(service_->Authenticate(b.tokens.access_token).ok());
  EXPECT_EQ(SessionIds(service_->Sessions(a.user.id)), std::vector<std::string>{b.session_id});
}

TEST_F(IdentitySessionsTest, LogoutOnAllDevicesEndsEverySessionOfTheUser) {
  const AuthResult a = Register("alice@example.com");
  const AuthResult b = Login("alice@example.com");
  const AuthResult other = Register("bob@example.com");
  ASSERT_TRUE(service_->Logout(Who(a), /*all_devices=*/true).ok());
  ExpectRevoked(service_->Authenticate(a.tokens.access_token));
  ExpectRevoked(service_->Authenticate(b.tokens.access_token));
  EXPECT_TRUE(service_->Authenticate(other.tokens.access_token).ok());
  EXPECT_TRUE(SessionIds(service_->Sessions(a.user.id)).empty());
}

TEST_F(IdentitySessionsTest, RevokeSessionEndsIt) {
  const AuthResult a = Register("alice@example.com");
  const AuthResult b = Login("alice@example.com");
  ASSERT_TRUE(service_->RevokeSession(a.user.id, b.session_id).ok());
  ExpectRevoked(service_->Authenticate(b.tokens.access_token));
  EXPECT_TRUE(service_->Authenticate(a.tokens.access_token).ok());
  EXPECT_EQ(SessionIds(service_->Sessions(a.user.id)), std::vector<std::string>{a.session_id});
  // Already revoked: there is no live session by that id any more.
  ExpectError(service_->RevokeSession(a.user.id, b.session_id), ErrorCode::kNotFound, Reason::kSessionNotFound,
              "Session not found");
}

TEST_F(IdentitySessionsTest, SessionsListTheirClientAndDevice) {
  const AuthResult r = Register("alice@example.com", std::nullopt, Client("10.0.0.7"));
  clock_.Advance(1min);
  const AuthResult phone = Login("alice@example.com", Client("10.0.0.8", Phone()));
  auto sessions = service_->Sessions(r.user.id);
  ASSERT_TRUE(sessions.ok());
  ASSERT_EQ(sessions->size(), 2u);
  const Session& newest = (*sessions)[0];  // most recent activity first
  EXPECT_EQ(newest.id, phone.session_id);
  EXPECT_EQ(newest.user_id, r.user.id);
  EXPECT_EQ(newest.device_id, phone.device->id);
  EXPECT_EQ(newest.device_name, "My Phone");
  EXPECT_EQ(newest.device_type, "ios");
  EXPECT_EQ(newest.ip_address, "10.0.0.8");
  EXPECT_EQ(newest.user_agent, "test-agent/1.0");
  EXPECT_EQ(newest.country, std::nullopt);
  EXPECT_EQ(newest.city, std::nullopt);
  EXPECT_EQ(newest.created_at, "2024-05-06T07:09:09Z");
  const Session& oldest = (*sessions)[1];
  EXPECT_EQ(oldest.id, r.session_id);
  EXPECT_EQ(oldest.device_id, std::nullopt);
  EXPECT_EQ(oldest.device_name, std::nullopt);
  EXPECT_EQ(oldest.ip_address, "10.0.0.7");
  EXPECT_EQ(oldest.created_at, "2024-05-06T07:08:09Z");
}

TEST_F(IdentitySessionsTest, RemoveDeviceEndsItsSessions) {
  const AuthResult plain = Register("alice@example.com");
  const AuthResult phone = Login("alice@example.com", Client("10.0.0.1", Phone()));
  ASSERT_TRUE(phone.device.has_value());
  ASSERT_TRUE(service_->RemoveDevice(plain.user.id, phone.device->id).ok());
  ExpectRevoked(service_->Authenticate(phone.tokens.access_token));
  ExpectError(service_->Refresh(phone.tokens.refresh_token), ErrorCode::kUnauthenticated, Reason::kInvalidToken,
              "Invalid refresh token");
  EXPECT_TRUE(service_->Authenticate(plain.tokens.access_token).ok());
  EXPECT_TRUE(DeviceIds(service_->Devices(plain.user.id)).empty());
  ExpectError(service_->RemoveDevice(plain.user.id, phone.device->id), ErrorCode::kNotFound, Reason::kDeviceNotFound,
              "Device not found");
}

TEST_F(IdentitySessionsTest, UsersCannotTouchAnotherUsersSessionsOrDevices) {
  const AuthResult a = Register("alice@example.com", std::nullopt, Client("10.0.0.1", Phone()));
  const AuthResult b = Register("bob@example.com");
  ASSERT_TRUE(a.device.has_value());
  const auto a_sessions = SessionIds(service_->Sessions(a.user.id));
  const auto a_devices = DeviceIds(service_->Devices(a.user.id));
  ASSERT_EQ(a_sessions.size(), 1u);
  ASSERT_EQ(a_devices.size(), 1u);

  ExpectError(service_->RevokeSession(b.user.id, a.session_id), ErrorCode::kNotFound, Reason::kSessionNotFound,
              "Session not found");
  ExpectError(service_->RemoveDevice(b.user.id, a.device->id), ErrorCode::kNotFound, Reason::kDeviceNotFound,
              "Device not found");

  EXPECT_EQ(SessionIds(service_->Sessions(a.user.id)), a_sessions);
  EXPECT_EQ(DeviceIds(service_->Devices(a.user.id)), a_devices);
  EXPECT_TRUE(service_->Authenticate(a.tokens.access_token).ok());
  EXPECT_TRUE(service_->Authenticate(b.tokens.access_token).ok());
}

TEST_F(IdentitySessionsTest, ChangePasswordEndsEveryOtherSession) {
  const AuthResult current = Register("alice@example.com");
  const AuthResult other = Login("alice@example.com", Client("10.0.0.2", Phone()));
  ASSERT_TRUE(service_->ChangePassword(Who(current), kPassword, "New-Password-7", policy_).ok());
  EXPECT_TRUE(service_->Authenticate(current.tokens.access_token).ok());
  ExpectRevoked(service_->Authenticate(other.tokens.access_token));
  ExpectError(service_->Refresh(other.tokens.refresh_token), ErrorCode::kUnauthenticated, Reason::kInvalidToken,
              "Invalid refresh token");
  EXPECT_TRUE(service_->Refresh(current.tokens.refresh_token).ok());

  ExpectError(service_->Login("alice@example.com", kPassword, Client()), ErrorCode::kUnauthenticated,
              Reason::kInvalidCredentials, "Invalid email or password");
  Login("alice@example.com", Client(), "New-Password-7");
}

TEST_F(IdentitySessionsTest, ChangePasswordWithoutASessionEndsAllOfThem) {
  const AuthResult r = Register("alice@example.com");
  ASSERT_TRUE(
      service_->ChangePassword(Principal{r.user.id, "", Role::kUser, 0}, kPassword, "New-Password-7", policy_).ok());
  ExpectRevoked(service_->Authenticate(r.tokens.access_token));
}

TEST_F(IdentitySessionsTest, ChangePasswordChecksTheCurrentOneAndThePolicy) {
  const AuthResult current = Register("alice@example.com");
  const AuthResult other = Login("alice@example.com");
  ExpectError(service_->ChangePassword(Who(current), "Wrong-Horse-9", "New-Password-7", policy_),
              ErrorCode::kUnauthenticated, Reason::kInvalidCredentials, "Current password is incorrect");
  ExpectError(service_->ChangePassword(Who(current), kPassword, "short", policy_), ErrorCode::kInvalidArgument,
              Reason::kWeakPassword, "Password must be at least 8 characters");
  // Neither attempt changed anything.
  EXPECT_TRUE(service_->Authenticate(other.tokens.access_token).ok());
  Login("alice@example.com");
  auto ok = service_->CheckPassword(current.user.id, kPassword);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(*ok);
  auto wrong = service_->CheckPassword(current.user.id, "New-Password-7");
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(*wrong);
}

TEST_F(IdentitySessionsTest, BanningEndsEverySession) {
  const AuthResult a = Register("alice@example.com");
  const AuthResult b = Login("alice@example.com");
  ASSERT_TRUE(service_->SetStatus(a.user.id, UserStatus::kBanned, "spam").ok());
  ExpectRevoked(service_->Authenticate(a.tokens.access_token));
  ExpectRevoked(service_->Authenticate(b.tokens.access_token));
  ExpectError(service_->Login("alice@example.com", kPassword, Client()), ErrorCode::kPermissionDenied,
              Reason::kAccountBanned, "Account is banned");
  // Unbanning does not bring old sessions back.
  ASSERT_TRUE(service_->SetStatus(a.user.id, UserStatus::kActive, std::nullopt).ok());
  ExpectRevoked(service_->Authenticate(a.tokens.access_token));
}

TEST_F(IdentitySessionsTest, AuthenticateChecksTheUsersStandingOnEveryCall) {
  // A status written without revoking sessions (as another node might) is still caught.
  const AuthResult r = Register("alice@example.com");
  auto set_status = [&](UserStatus status) {
    return repos().transactions.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) {
      return service_->users().SetStatus(tx, r.user.id, status, std::nullopt, "2024-05-06T07:08:09Z");
    });
  };
  ASSERT_TRUE(set_status(UserStatus::kBanned).ok());
  ExpectError(service_->Authenticate(r.tokens.access_token), ErrorCode::kPermissionDenied, Reason::kAccountBanned,
              "Account is banned");
  ExpectError(service_->Refresh(r.tokens.refresh_token), ErrorCode::kPermissionDenied, Reason::kAccountBanned,
              "Account is banned");
  ASSERT_TRUE(set_status(UserStatus::kDisabled).ok());
  ExpectError(service_->Authenticate(r.tokens.access_token), ErrorCode::kUnauthenticated, Reason::kAccountInactive,
              "Account is disabled");
  ASSERT_TRUE(set_status(UserStatus::kActive).ok());
  EXPECT_TRUE(service_->Authenticate(r.tokens.access_token).ok());
}

TEST_F(IdentitySessionsTest, GetUserOfAnUnknownIdIsNotFound) {
  ExpectError(service_->GetUser("no-such-user"), ErrorCode::kNotFound, Reason::kUserNotFound, "User not found");
  auto none = service_->FindByEmail("nobody@example.com");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, std::nullopt);
  const AuthResult r = Register("Alice@Example.com");
  auto found = service_->FindByEmail("alice@example.com");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, r.user.id);
}

TEST_F(IdentitySessionsTest, UpdateUserIsAtomicUnderConcurrency) {
  const AuthResult r = Register("alice@example.com");
  constexpr int kThreads = 8;
  std::vector<int> ok(kThreads, 0);
  std::latch start(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        auto updated = service_->UpdateUser(r.user.id, [i](User& user) -> Result<void> {
          boost::json::object settings = boost::json::parse(user.settings_json).as_object();
          settings["key" + std::to_string(i)] = i;
          user.settings_json = boost::json::serialize(settings);
          return Ok{};
        });
        ok[i] = updated.ok() ? 1 : 0;
      });
    }
  }
  EXPECT_EQ(ok, std::vector<int>(kThreads, 1));
  auto user = service_->GetUser(r.user.id);
  ASSERT_TRUE(user.ok());
  boost::json::object expected;
  for (int i = 0; i < kThreads; ++i) expected["key" + std::to_string(i)] = i;
  EXPECT_EQ(boost::json::parse(user->settings_json), boost::json::value(expected)) << user->settings_json;
}

TEST_F(IdentitySessionsTest, UpdateUserWritesNothingWhenTheMutationRefuses) {
  const AuthResult r = Register("alice@example.com");
  auto refused = service_->UpdateUser(r.user.id, [](User& user) -> Result<void> {
    user.display_name = "Changed";
    return Error(ErrorCode::kInvalidArgument, "nope").WithReason(Reason::kInvalidMessage);
  });
  ExpectError(refused, ErrorCode::kInvalidArgument, Reason::kInvalidMessage, "nope");
  auto user = service_->GetUser(r.user.id);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->display_name, "Test User");
  ExpectError(service_->UpdateUser("no-such-user", [](User&) -> Result<void> { return Ok{}; }), ErrorCode::kNotFound,
              Reason::kUserNotFound, "User not found");
}

TEST_F(IdentitySessionsTest, UpdateProfileChangesOnlyTheGivenFields) {
  const AuthResult r = Register("alice@example.com", "alice");
  Register("bob@example.com", "bob");
  clock_.Advance(1h);
  ProfileUpdate u;
  u.display_name = "Alice A.";
  u.avatar_url = std::optional<std::string>("https://example.com/a.png");
  u.timezone = "Europe/Berlin";
  auto updated = service_->UpdateProfile(r.user.id, u);
  ASSERT_TRUE(updated.ok()) << updated.error().internal_message();
  EXPECT_EQ(updated->display_name, "Alice A.");
  EXPECT_EQ(updated->avatar_url, "https://example.com/a.png");
  EXPECT_EQ(updated->timezone, "Europe/Berlin");
  EXPECT_EQ(updated->locale, "en-US");
  EXPECT_EQ(updated->username, "alice");
  EXPECT_EQ(updated->updated_at, "2024-05-06T08:08:09Z");

  ProfileUpdate clear;
  clear.avatar_url = std::optional<std::string>();
  auto cleared = service_->UpdateProfile(r.user.id, clear);
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(cleared->avatar_url, std::nullopt);
  EXPECT_EQ(cleared->display_name, "Alice A.");

  ProfileUpdate bad_email;
  bad_email.email = "nope";
  ExpectError(service_->UpdateProfile(r.user.id, bad_email), ErrorCode::kInvalidArgument, Reason::kInvalidEmail,
              "Invalid email format");
  ProfileUpdate taken_email;
  taken_email.email = "BOB@example.com";
  ExpectError(service_->UpdateProfile(r.user.id, taken_email), ErrorCode::kAlreadyExists, Reason::kEmailExists,
              "Email already registered");
  ProfileUpdate taken_name;
  taken_name.username = "Bob";
  ExpectError(service_->UpdateProfile(r.user.id, taken_name), ErrorCode::kAlreadyExists, Reason::kUsernameExists,
              "Username already taken");
}

}  // namespace
}  // namespace atrium::core::identity
