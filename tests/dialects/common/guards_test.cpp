// The shared admission guards (dialects/common/guards.hpp), with the core services the
// app gives every dialect: built by app/dialect_factory through the dialect harness.

#include "dialects/common/guards.hpp"

#include <gtest/gtest.h>

#include "app/dialect_factory.hpp"
#include "dialects/dialect_harness.hpp"

namespace atrium::dialects {
namespace {

using http::Method;

class GuardsTest : public ::testing::Test {
 protected:
  http::Request Request(const std::string& address, std::optional<std::string> token = std::nullopt) {
    http::Request req = h_.Make(Method::kGet, "/guarded");
    req.client_address = address;
    if (token) req.headers.Add("Authorization", "Bearer " + *token);
    return req;
  }

  std::string SignIn(const std::string& email) {
    core::identity::NewUser user;
    user.email = email;
    user.display_name = "Guarded";
    user.password = "Passw0rd-Guard";
    auto r = h_.identity().Register(user, {}, {"10.0.0.1", "test", std::nullopt}, true);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->tokens.access_token : std::string();
  }

  static const http::Response& Ok(const http::Reply& reply) {
    EXPECT_TRUE(std::holds_alternative<http::Response>(reply));
    return std::get<http::Response>(reply);
  }
  static const http::ApiError& Refused(const http::Reply& reply) {
    EXPECT_TRUE(std::holds_alternative<http::ApiError>(reply));
    return std::get<http::ApiError>(reply);
  }

  testing::DialectHarness h_{testing::Unichat()};
  const CommonDeps deps_ = app::CommonDepsOf(h_.core());
  const core::ratelimit::RateRule two_per_minute_{"test.guard", 2, std::chrono::seconds(60)};
};

TEST_F(GuardsTest, PerAddressCountsEachAddressAndSendsTheLimitHeaders) {
  int ran = 0;
  auto handler =
      PerAddress(deps_, two_per_minute_, GuardStyle{.window_header = true}, [&ran](http::Request&) -> http::Reply {
        ++ran;
        return http::JsonReply(200, {{"ok", true}});
      });
  auto a = Request("10.0.0.1");
  const auto first = handler(a);
  EXPECT_EQ(Ok(first).headers.Get("X-RateLimit-Limit"), "2");
  EXPECT_EQ(Ok(first).headers.Get("X-RateLimit-Remaining"), "1");
  EXPECT_EQ(Ok(first).headers.Get("X-RateLimit-Window"), "60");
  EXPECT_EQ(Ok(handler(a)).headers.Get("X-RateLimit-Remaining"), "0");
  const auto third = handler(a);
  const auto& refused = Refused(third);
  EXPECT_EQ(refused.kind, http::ErrorKind::kRateLimited);
  EXPECT_EQ(refused.message, "Rate limit exceeded");
  EXPECT_EQ(refused.details.at("limit"), 2);
  EXPECT_EQ(refused.details.at("window"), 60);
  EXPECT_TRUE(refused.headers.Get("Retry-After").has_value());
  EXPECT_EQ(ran, 2);  // the refused request never reached the handler

  auto b = Request("10.0.0.2");  // another address has its own budget
  EXPECT_EQ(Ok(handler(b)).status, 200);
  EXPECT_EQ(ran, 3);
}

TEST_F(GuardsTest, PerUserNeedsATokenAndLimitsPerUser) {
  std::string seen;
  auto handler = PerUser(deps_, two_per_minute_, GuardStyle{},
                         [&seen](http::Request&, const core::identity::Principal& who) -> http::Reply {
                           seen = who.user_id;
                           return http::JsonReply(200, {{"ok", true}});
                         });
  auto anonymous = Request("10.0.0.1");
  const auto missing = handler(anonymous);
  EXPECT_EQ(Refused(missing).kind, http::ErrorKind::kUnauthorized);
  EXPECT_EQ(Refused(missing).reason, core::Reason::kMissingToken);
  auto forged = Request("10.0.0.1", "not-a-token");
  EXPECT_EQ(Refused(handler(forged)).kind, http::ErrorKind::kUnauthorized);
  EXPECT_TRUE(seen.empty());

  const std::string token = SignIn("guarded@example.com");
  // The same user from two addresses shares one budget.
  auto first = Request("10.0.0.1", token);
  auto second = Request("10.0.0.2", token);
  EXPECT_EQ(Ok(handler(first)).status, 200);
  EXPECT_FALSE(seen.empty());
  EXPECT_EQ(Ok(handler(second)).status, 200);
  EXPECT_EQ(Refused(handler(first)).kind, http::ErrorKind::kRateLimited);
}

TEST_F(GuardsTest, AnAnonymousBudgetLimitsFailedTokensPerAddress) {
  GuardStyle style;
  style.rate_message = "Too many requests, retry in {seconds}s";
  style.anonymous = core::ratelimit::RateRule{"test.anonymous", 1, std::chrono::seconds(60)};
  auto handler =
      PerUser(deps_, two_per_minute_, style, [](http::Request&, const core::identity::Principal&) -> http::Reply {
        return http::JsonReply(200, {{"ok", true}});
      });
  auto forged = Request("10.0.0.9", "guess-1");
  const auto first = handler(forged);
  EXPECT_EQ(Refused(first).kind, http::ErrorKind::kUnauthorized);
  EXPECT_EQ(Refused(first).headers.Get("X-RateLimit-Limit"), "1");  // counted against the address
  const auto second = handler(forged);
  EXPECT_EQ(Refused(second).kind, http::ErrorKind::kRateLimited);
  EXPECT_EQ(Refused(second).message.find("Too many requests, retry in "), 0u) << Refused(second).message;
}

TEST_F(GuardsTest, ACustomAuthenticatorDecidesWhoIsServed) {
  GuardStyle style;
  style.authenticate = [](const CommonDeps&, const http::Request& req) -> http::Result<core::identity::Principal> {
    if (req.headers.Get("X-Test-User") != "u1") return http::MakeError(http::ErrorKind::kForbidden, "nope");
    core::identity::Principal who;
    who.user_id = "u1";
    return who;
  };
  auto handler =
      PerUser(deps_, two_per_minute_, style, [](http::Request&, const core::identity::Principal& who) -> http::Reply {
        return http::JsonReply(200, {{"user", who.user_id}});
      });
  auto refused = Request("10.0.0.1");
  EXPECT_EQ(Refused(handler(refused)).kind, http::ErrorKind::kForbidden);
  auto served = Request("10.0.0.1");
  served.headers.Add("X-Test-User", "u1");
  EXPECT_EQ(Ok(handler(served)).body, R"({"user":"u1"})");
}

}  // namespace
}  // namespace atrium::dialects
