// IdentityService: refresh-token rotation, reuse detection, expiry and logout by token.

#include <gtest/gtest.h>

#include <latch>
#include <thread>
#include <vector>

#include "core/identity/identity_fixture.hpp"

namespace atrium::core::identity {
namespace {

using namespace std::chrono_literals;

using IdentityRefreshTest = IdentityTest;

void ExpectInvalidRefresh(const Result<TokenPair>& r) {
  ExpectError(r, ErrorCode::kUnauthenticated, Reason::kInvalidToken, "Invalid refresh token");
}

void ExpectReused(const Result<TokenPair>& r) {
  ExpectError(r, ErrorCode::kUnauthenticated, Reason::kTokenReused, "Refresh token already used; session revoked");
}

TEST_F(IdentityRefreshTest, RefreshRotatesWithinTheSession) {
  const AuthResult r = Register("alice@example.com");
  clock_.Advance(1min);
  auto next = service_->Refresh(r.tokens.refresh_token);
  ASSERT_TRUE(next.ok()) << next.error().internal_message();
  EXPECT_NE(next->refresh_token, r.tokens.refresh_token);
  EXPECT_NE(next->access_token, r.tokens.access_token);
  EXPECT_EQ(next->expires_in, 900);
  auto who = service_->Authenticate(next->access_token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->user_id, r.user.id);
  EXPECT_EQ(who->session_id, r.session_id);

  // The session's activity time moved to the refresh.
  auto sessions = service_->Sessions(r.user.id);
  ASSERT_TRUE(sessions.ok());
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].last_activity_at, "2024-05-06T07:09:09Z");

  // A chain of rotations keeps working.
  auto third = service_->Refresh(next->refresh_token);
  ASSERT_TRUE(third.ok());
  auto fourth = service_->Refresh(third->refresh_token);
  ASSERT_TRUE(fourth.ok());
  EXPECT_TRUE(service_->Authenticate(fourth->access_token).ok());
}

TEST_F(IdentityRefreshTest, ReusingARotatedTokenRevokesTheFamily) {
  const AuthResult r = Register("alice@example.com");
  auto next = service_->Refresh(r.tokens.refresh_token);
  ASSERT_TRUE(next.ok());
  ExpectReused(service_->Refresh(r.tokens.refresh_token));
  // The thief's copy and the owner's newer token are both dead now.
  ExpectInvalidRefresh(service_->Refresh(next->refresh_token));
  ExpectInvalidRefresh(service_->Refresh(r.tokens.refresh_token));
  ExpectError(service_->Authenticate(next->access_token), ErrorCode::kUnauthenticated, Reason::kSessionRevoked,
              "Session has been revoked");
  ExpectError(service_->Authenticate(r.tokens.access_token), ErrorCode::kUnauthenticated, Reason::kSessionRevoked,
              "Session has been revoked");
}

TEST_F(IdentityRefreshTest, ReuseRevokesOnlyThatSession) {
  const AuthResult a = Register("alice@example.com");
  const AuthResult b = Login("alice@example.com");
  ASSERT_TRUE(service_->Refresh(a.tokens.refresh_token).ok());
  ExpectReused(service_->Refresh(a.tokens.refresh_token));
  EXPECT_TRUE(service_->Authenticate(b.tokens.access_token).ok());
  EXPECT_TRUE(service_->Refresh(b.tokens.refresh_token).ok());
}

TEST_F(IdentityRefreshTest, RefreshFamilyExpiresThirtyDaysAfterLogin) {
  const AuthResult r = Register("alice@example.com");
  clock_.Advance(24h * 30 - 1s);
  auto last = service_->Refresh(r.tokens.refresh_token);
  ASSERT_TRUE(last.ok()) << last.error().internal_message();
  // Rotation does not extend the family: its newest token expires with it.
  clock_.Advance(1s);
  ExpectError(service_->Refresh(last->refresh_token), ErrorCode::kUnauthenticated, Reason::kTokenExpired,
              "Refresh token has expired");
}

TEST_F(IdentityRefreshTest, UnrotatedTokenExpiresAfterThirtyDays) {
  const AuthResult r = Register("alice@example.com");
  clock_.Advance(24h * 30);
  ExpectError(service_->Refresh(r.tokens.refresh_token), ErrorCode::kUnauthenticated, Reason::kTokenExpired,
              "Refresh token has expired");
  ExpectError(service_->RefreshAccessOnly(r.tokens.refresh_token), ErrorCode::kUnauthenticated, Reason::kTokenExpired,
              "Refresh token has expired");
}

TEST_F(IdentityRefreshTest, UnknownOrMalformedTokensAreInvalid) {
  Register("alice@example.com");
  ExpectInvalidRefresh(service_->Refresh("no-such-token"));
  ExpectInvalidRefresh(service_->Refresh(""));
  ExpectInvalidRefresh(service_->Refresh(std::string(513, 'a')));
  const AuthResult r = Login("alice@example.com");
  ExpectInvalidRefresh(service_->Refresh(r.tokens.access_token));  // an access token is no refresh token
}

TEST_F(IdentityRefreshTest, ParallelRefreshesWithOneTokenGiveExactlyOneSuccess) {
  const AuthResult r = Register("alice@example.com");
  constexpr int kThreads = 8;
  std::vector<std::optional<Result<TokenPair>>> results(kThreads);
  std::latch start(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        results[i].emplace(service_->Refresh(r.tokens.refresh_token));
      });
    }
  }
  // Rotations are serialized: the first spends the token, the next finds it spent and
  // revokes the family, and the rest find the family revoked.
  int successes = 0, reused = 0, invalid = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result.has_value());
    if (result->ok()) {
      ++successes;
    } else if (result->error().reason() == Reason::kTokenReused) {
      ExpectReused(*result);
      ++reused;
    } else {
      ExpectInvalidRefresh(*result);
      ++invalid;
    }
  }
  EXPECT_EQ(successes, 1);
  EXPECT_EQ(reused, 1);
  EXPECT_EQ(invalid, kThreads - 2);
}

TEST_F(IdentityRefreshTest, RefreshAccessOnlyLeavesTheRefreshTokenUsable) {
  const AuthResult r = Register("alice@example.com");
  auto first = service_->RefreshAccessOnly(r.tokens.refresh_token);
  ASSERT_TRUE(first.ok()) << first.error().internal_message();
  EXPECT_EQ(first->expires_in, 900);
  auto who = service_->Authenticate(first->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->session_id, r.session_id);
  auto second = service_->RefreshAccessOnly(r.tokens.refresh_token);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->token, first->token);
  // Still unspent: a rotating refresh accepts it.
  auto rotated = service_->Refresh(r.tokens.refresh_token);
  ASSERT_TRUE(rotated.ok()) << rotated.error().internal_message();
  EXPECT_TRUE(service_->Authenticate(rotated->access_token).ok());
}

TEST_F(IdentityRefreshTest, RefreshAccessOnlyOfARotatedTokenIsReuse) {
  const AuthResult r = Register("alice@example.com");
  auto rotated = service_->Refresh(r.tokens.refresh_token);
  ASSERT_TRUE(rotated.ok());
  ExpectError(service_->RefreshAccessOnly(r.tokens.refresh_token), ErrorCode::kUnauthenticated, Reason::kTokenReused,
              "Refresh token already used; session revoked");
  ExpectInvalidRefresh(service_->Refresh(rotated->refresh_token));
  ExpectError(service_->RefreshAccessOnly("no-such-token"), ErrorCode::kUnauthenticated, Reason::kInvalidToken,
              "Invalid refresh token");
}

TEST_F(IdentityRefreshTest, LogoutEndsRefreshToo) {
  const AuthResult r = Register("alice@example.com");
  ASSERT_TRUE(service_->Logout(Who(r), /*all_devices=*/false).ok());
  ExpectInvalidRefresh(service_->Refresh(r.tokens.refresh_token));
  ExpectError(service_->RefreshAccessOnly(r.tokens.refresh_token), ErrorCode::kUnauthenticated, Reason::kInvalidToken,
              "Invalid refresh token");
}

TEST_F(IdentityRefreshTest, LogoutWithRefreshTokenEndsItsSession) {
  const AuthResult a = Register("alice@example.com");
  const AuthResult b = Login("alice@example.com");
  ASSERT_TRUE(service_->LogoutWithRefreshToken(a.tokens.refresh_token, /*all_devices=*/false).ok());
  ExpectError(service_->Authenticate(a.tokens.access_token), ErrorCode::kUnauthenticated, Reason::kSessionRevoked,
              "Session has been revoked");
  ExpectInvalidRefresh(service_->Refresh(a.tokens.refresh_token));
  EXPECT_TRUE(service_->Authenticate(b.tokens.access_token).ok());
}

TEST_F(IdentityRefreshTest, LogoutWithRefreshTokenOnAllDevices) {
  const AuthResult a = Register("alice@example.com");
  const AuthResult b = Login("alice@example.com");
  const AuthResult other = Register("bob@example.com");
  ASSERT_TRUE(service_->LogoutWithRefreshToken(a.tokens.refresh_token, /*all_devices=*/true).ok());
  ExpectError(service_->Authenticate(a.tokens.access_token), ErrorCode::kUnauthenticated, Reason::kSessionRevoked,
              "Session has been revoked");
  ExpectError(service_->Authenticate(b.tokens.access_token), ErrorCode::kUnauthenticated, Reason::kSessionRevoked,
              "Session has been revoked");
  EXPECT_TRUE(service_->Authenticate(other.tokens.access_token).ok());
  ExpectError(service_->LogoutWithRefreshToken("no-such-token", false), ErrorCode::kUnauthenticated,
              Reason::kInvalidToken, "Invalid refresh token");
}

TEST_F(IdentityRefreshTest, BannedUsersCannotRefresh) {
  const AuthResult r = Register("alice@example.com");
  ASSERT_TRUE(service_->SetStatus(r.user.id, UserStatus::kBanned, "spam").ok());
  ExpectInvalidRefresh(service_->Refresh(r.tokens.refresh_token));  // banning ended the session
}

}  // namespace
}  // namespace atrium::core::identity
