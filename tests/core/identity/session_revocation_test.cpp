// Session revocations on the bus: the event's encoding, which sessions it covers, that
// IdentityService publishes one after every kind of revocation, and SessionWatch.

#include "core/identity/session_revocation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "core/identity/identity_fixture.hpp"

namespace atrium::core::identity {
namespace {

using namespace std::chrono_literals;
using Scope = SessionsRevoked::Scope;

SessionsRevoked Make(Scope scope, std::vector<std::string> ids, RevocationCause cause) {
  SessionsRevoked r;
  r.user_id = "u1";
  r.scope = scope;
  r.session_ids = std::move(ids);
  r.cause = cause;
  return r;
}

TEST(SessionsRevokedTest, EncodesOnTheUsersSessionsTopicAndDecodesBack) {
  const auto revoked = Make(Scope::kAllExcept, {"s1"}, RevocationCause::kPasswordChanged);
  const events::Event event = EncodeRevocation(revoked);
  EXPECT_EQ(event.topics, (std::vector<std::string>{"sessions:u1"}));
  EXPECT_EQ(events::EventTypeName(event.payload), "identity.sessions_revoked");
  EXPECT_EQ(DecodeRevocation(event), revoked);
}

TEST(SessionsRevokedTest, DecodeRefusesOtherTypes) {
  const events::Event event{{"sessions:u1"}, chat::MessageDelta{"c", "m", "hi"}};
  EXPECT_FALSE(DecodeRevocation(event));
}

TEST(SessionsRevokedTest, CoversTheSessionsItNames) {
  const auto one = Make(Scope::kSessions, {"s1", "s2"}, RevocationCause::kDeviceRemoved);
  EXPECT_TRUE(one.Covers("s1"));
  EXPECT_TRUE(one.Covers("s2"));
  EXPECT_FALSE(one.Covers("s3"));
  EXPECT_FALSE(one.Covers(""));  // an API key's principal has no session to end
  const auto all = Make(Scope::kAll, {}, RevocationCause::kAccountInactive);
  EXPECT_TRUE(all.Covers("s1"));
  EXPECT_TRUE(all.Covers(""));
  const auto others = Make(Scope::kAllExcept, {"s1"}, RevocationCause::kPasswordChanged);
  EXPECT_FALSE(others.Covers("s1"));
  EXPECT_TRUE(others.Covers("s2"));
  EXPECT_TRUE(others.Covers(""));
}

TEST(SessionsRevokedTest, ExpiresInCountsDownToTheTokensExp) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1000));
  EXPECT_EQ(ExpiresInMs(Principal{"u", "s", Role::kUser, 1010}, now), 10000);
  EXPECT_EQ(ExpiresInMs(Principal{"u", "s", Role::kUser, 990}, now), 0);
  EXPECT_EQ(ExpiresInMs(Principal{"u", "", Role::kUser, 0}, now), std::nullopt);
}

// IdentityService publishes what it revoked, on the user's sessions topic.
class RevocationPublishTest : public IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    alice_ = Register("alice@example.com");
    subscription_ = events_.Subscribe({events::topics::UserSessions(alice_.user.id)}, {});
  }

  // The one revocation published since the last call.
  std::optional<SessionsRevoked> Next() {
    auto event = subscription_->TryPop();
    if (!event) return std::nullopt;
    EXPECT_FALSE(subscription_->TryPop()) << "more than one event";
    return DecodeRevocation(*event);
  }

  void ExpectNext(Scope scope, std::vector<std::string> ids, RevocationCause cause) {
    auto got = Next();
    ASSERT_TRUE(got) << "no revocation published";
    EXPECT_EQ(got->user_id, alice_.user.id);
    EXPECT_EQ(got->scope, scope);
    EXPECT_EQ(got->session_ids, ids);
    EXPECT_EQ(got->cause, cause);
  }

  AuthResult alice_;
  std::unique_ptr<events::Subscription> subscription_;
};

TEST_F(RevocationPublishTest, LogoutOneDeviceAndAll) {
  ASSERT_TRUE(service_->Logout(Who(alice_), false).ok());
  ExpectNext(Scope::kSessions, {alice_.session_id}, RevocationCause::kLogout);
  const auto other = Login("alice@example.com");
  ASSERT_TRUE(service_->Logout(Who(other), true).ok());
  ExpectNext(Scope::kAll, {}, RevocationCause::kLogout);
}

TEST_F(RevocationPublishTest, LogoutWithARefreshToken) {
  ASSERT_TRUE(service_->LogoutWithRefreshToken(alice_.tokens.refresh_token, false).ok());
  ExpectNext(Scope::kSessions, {alice_.session_id}, RevocationCause::kLogout);
  const auto other = Login("alice@example.com");
  ASSERT_TRUE(service_->LogoutWithRefreshToken(other.tokens.refresh_token, true).ok());
  ExpectNext(Scope::kAll, {}, RevocationCause::kLogout);
  EXPECT_FALSE(service_->LogoutWithRefreshToken("made-up", false).ok());
  EXPECT_FALSE(Next()) << "nothing revoked, nothing published";
}

TEST_F(RevocationPublishTest, PasswordChangeRevokesTheOthers) {
  ASSERT_TRUE(service_->ChangePassword(Who(alice_), kPassword, "New-Password-7", policy_).ok());
  ExpectNext(Scope::kAllExcept, {alice_.session_id}, RevocationCause::kPasswordChanged);
  EXPECT_FALSE(service_->ChangePassword(Who(alice_), "wrong", "Other-Password-8", policy_).ok());
  EXPECT_FALSE(Next());
}

TEST_F(RevocationPublishTest, DeviceRemovalNamesTheDevicesSessions) {
  const auto on_phone = Login("alice@example.com", Client("10.0.0.2", Phone()));
  const auto again = Login("alice@example.com", Client("10.0.0.3", Phone()));
  ASSERT_TRUE(on_phone.device && again.device);
  ASSERT_TRUE(service_->RemoveDevice(alice_.user.id, on_phone.device->id).ok());
  auto got = Next();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->scope, Scope::kSessions);
  EXPECT_EQ(got->cause, RevocationCause::kDeviceRemoved);
  std::vector<std::string> expected{on_phone.session_id, again.session_id};
  std::sort(expected.begin(), expected.end());
  std::sort(got->session_ids.begin(), got->session_ids.end());
  EXPECT_EQ(got->session_ids, expected);
}

TEST_F(RevocationPublishTest, SessionRevocation) {
  ASSERT_TRUE(service_->RevokeSession(alice_.user.id, alice_.session_id).ok());
  ExpectNext(Scope::kSessions, {alice_.session_id}, RevocationCause::kSessionRevoked);
  EXPECT_FALSE(service_->RevokeSession(alice_.user.id, "no-such-session").ok());
  EXPECT_FALSE(Next());
}

TEST_F(RevocationPublishTest, BanAndDeactivationRevokeEverything) {
  ASSERT_TRUE(service_->SetStatus(alice_.user.id, UserStatus::kBanned, "spam").ok());
  ExpectNext(Scope::kAll, {}, RevocationCause::kAccountInactive);
  ASSERT_TRUE(service_->SetStatus(alice_.user.id, UserStatus::kActive, std::nullopt).ok());
  EXPECT_FALSE(Next()) << "reactivation revokes nothing";
  ASSERT_TRUE(service_->SetStatus(alice_.user.id, UserStatus::kDisabled, std::nullopt).ok());
  ExpectNext(Scope::kAll, {}, RevocationCause::kAccountInactive);
}

TEST_F(RevocationPublishTest, RefreshTokenReuseRevokesTheFamily) {
  auto next = service_->Refresh(alice_.tokens.refresh_token);
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(Next()) << "a rotation revokes nothing";
  EXPECT_FALSE(service_->Refresh(alice_.tokens.refresh_token).ok());  // the spent one again
  ExpectNext(Scope::kSessions, {alice_.session_id}, RevocationCause::kTokenReused);
  const auto other = Login("alice@example.com");
  ASSERT_TRUE(service_->Refresh(other.tokens.refresh_token).ok());
  EXPECT_FALSE(service_->RefreshAccessOnly(other.tokens.refresh_token).ok());
  ExpectNext(Scope::kSessions, {other.session_id}, RevocationCause::kTokenReused);
}

TEST_F(RevocationPublishTest, AuthenticateCarriesTheTokensExpiry) {
  auto who = service_->Authenticate(alice_.tokens.access_token);
  ASSERT_TRUE(who.ok());
  auto claims = tokens_.Verify(alice_.tokens.access_token);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(who->expires_at, claims->expires_at);
  EXPECT_GT(who->expires_at, 0);
}

TEST_F(RevocationPublishTest, SessionWatchFiresOnceForItsSessionOnly) {
  const auto other = Login("alice@example.com");
  std::vector<RevocationCause> mine;
  std::vector<RevocationCause> theirs;
  SessionWatch watch_mine(events_, Who(alice_), [&](RevocationCause c) { mine.push_back(c); });
  SessionWatch watch_theirs(events_, Who(other), [&](RevocationCause c) { theirs.push_back(c); });
  ASSERT_TRUE(service_->Logout(Who(other), false).ok());
  EXPECT_TRUE(mine.empty());
  EXPECT_EQ(theirs, std::vector<RevocationCause>{RevocationCause::kLogout});
  ASSERT_TRUE(service_->SetStatus(alice_.user.id, UserStatus::kBanned, std::nullopt).ok());
  ASSERT_TRUE(service_->SetStatus(alice_.user.id, UserStatus::kBanned, std::nullopt).ok());
  EXPECT_EQ(mine, std::vector<RevocationCause>{RevocationCause::kAccountInactive});
  EXPECT_EQ(theirs.size(), 1u) << "at most once";
}

TEST_F(RevocationPublishTest, SessionWatchIgnoresOtherUsers) {
  const auto bob = Register("bob@example.com");
  bool fired = false;
  SessionWatch watch(events_, Who(alice_), [&](RevocationCause) { fired = true; });
  ASSERT_TRUE(service_->Logout(Who(bob), true).ok());
  EXPECT_FALSE(fired);
}

// The race between checking a token and subscribing: a revocation committed in between
// is published to nobody. The watch's re-check after subscribing catches it.
TEST_F(RevocationPublishTest, SessionWatchRecheckCatchesARevocationBeforeItSubscribed) {
  auto who = service_->Authenticate(alice_.tokens.access_token);  // the check at CONNECT
  ASSERT_TRUE(who.ok());
  ASSERT_TRUE(service_->Logout(*who, false).ok());  // revoked before the watch exists
  std::vector<RevocationCause> unchecked;
  SessionWatch without(events_, *who, [&](RevocationCause c) { unchecked.push_back(c); });
  EXPECT_TRUE(unchecked.empty()) << "the event came before the subscription";
  std::vector<RevocationCause> fired;
  SessionWatch watch(
      events_, *who, [&](RevocationCause c) { fired.push_back(c); },
      [&] { return service_->CheckStanding(*who).ok(); });
  EXPECT_EQ(fired, std::vector<RevocationCause>{RevocationCause::kSessionRevoked});
}

// A revocation committed after the subscription but before the check's read arrives as
// an event; one covered by both fires once.
TEST_F(RevocationPublishTest, SessionWatchHearsARevocationDuringItsRecheck) {
  const Principal who = Who(alice_);
  std::vector<RevocationCause> fired;
  SessionWatch watch(
      events_, who, [&](RevocationCause c) { fired.push_back(c); },
      [&] {
        EXPECT_TRUE(service_->Logout(who, false).ok());  // lands while the check runs
        return service_->CheckStanding(who).ok();
      });
  EXPECT_EQ(fired, std::vector<RevocationCause>{RevocationCause::kLogout});
}

TEST_F(RevocationPublishTest, SessionWatchWithAGoodStandingStaysQuiet) {
  bool fired = false;
  SessionWatch watch(
      events_, Who(alice_), [&](RevocationCause) { fired = true; },
      [&] { return service_->CheckStanding(Who(alice_)).ok(); });
  EXPECT_FALSE(fired);
}

TEST_F(RevocationPublishTest, CheckStandingSeesRevokedSessionsAndInactiveUsers) {
  const Principal who = Who(alice_);
  const Principal api_key{alice_.user.id, "", Role::kUser, 0};
  EXPECT_TRUE(service_->CheckStanding(who).ok());
  EXPECT_TRUE(service_->CheckStanding(api_key).ok());
  const auto other = Login("alice@example.com");
  ASSERT_TRUE(service_->Logout(who, false).ok());
  auto revoked = service_->CheckStanding(who);
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.error().reason(), Reason::kSessionRevoked);
  EXPECT_TRUE(service_->CheckStanding(Who(other)).ok()) << "the other session stands";
  ASSERT_TRUE(service_->SetStatus(alice_.user.id, UserStatus::kBanned, std::nullopt).ok());
  auto banned_session = service_->CheckStanding(Who(other));  // a ban also revokes every session
  ASSERT_FALSE(banned_session.ok());
  EXPECT_EQ(banned_session.error().reason(), Reason::kSessionRevoked);
  auto banned_key = service_->CheckStanding(api_key);
  ASSERT_FALSE(banned_key.ok());
  EXPECT_EQ(banned_key.error().reason(), Reason::kAccountBanned);
}

}  // namespace
}  // namespace atrium::core::identity
