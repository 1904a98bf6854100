// mira's NetworkSocket ends with its session: revoked -> an UNAUTHORIZED error message and
// close 4001 "session_revoked"; the token's expiry is handed to the transport as a
// deadline (4001 "token_expired"). Networks do not exist yet, so no upgrade reaches this
// handler over the wire; the handler is driven directly with a fake connection.

#include "dialects/mira/network_socket.hpp"

#include <boost/json.hpp>
#include <mutex>
#include <vector>

#include "app/dialect_factory.hpp"
#include "dialects/dialect_harness.hpp"

namespace atrium::dialects::mira {
namespace {

using namespace std::chrono_literals;

class FakeConnection final : public http::WebSocketConnection {
 public:
  bool SendText(std::string text) override {
    std::lock_guard lock(mu_);
    if (close_code != 0) return false;
    texts.push_back(std::move(text));
    return true;
  }
  bool SendBinary(std::string) override { return true; }
  void Close(int code, std::string reason) override {
    std::lock_guard lock(mu_);
    if (close_code != 0) return;
    close_code = code;
    close_reason = std::move(reason);
  }
  void CloseAfter(std::chrono::milliseconds delay, int code, std::string reason) override {
    std::lock_guard lock(mu_);
    deadline = delay;
    deadline_code = code;
    deadline_reason = std::move(reason);
  }
  bool closed() const override {
    std::lock_guard lock(mu_);
    return close_code != 0;
  }

  mutable std::mutex mu_;
  std::vector<std::string> texts;
  int close_code = 0;
  std::string close_reason;
  std::optional<std::chrono::milliseconds> deadline;
  int deadline_code = 0;
  std::string deadline_reason;
};

class NetworkSocketTest : public ::testing::Test {
 protected:
  core::identity::AuthResult SignIn(const std::string& email) {
    core::identity::NewUser user;
    user.email = email;
    user.display_name = "Mira";
    user.password = "Passw0rd-Mira";
    auto r = h_.identity().Register(user, {}, {"10.0.0.1", "test", std::nullopt}, true);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : core::identity::AuthResult{};
  }

  core::identity::Principal Who(const core::identity::AuthResult& auth) {
    auto who = h_.identity().Authenticate(auth.tokens.access_token);
    EXPECT_TRUE(who.ok());
    return who.ok() ? *who : core::identity::Principal{};
  }

  testing::DialectHarness h_{testing::Mira()};
  const Deps deps_ = app::MiraDeps(h_.core());
};

TEST_F(NetworkSocketTest, ARevokedSessionClosesWith4001) {
  const auto auth = SignIn("mira-socket@example.com");
  NetworkSocket socket(deps_, "net_1", Who(auth));
  auto connection = std::make_shared<FakeConnection>();
  socket.OnOpen(connection);
  EXPECT_EQ(connection->close_code, 0);
  ASSERT_TRUE(h_.identity().Logout(Who(auth), false).ok());
  EXPECT_EQ(connection->close_code, http::kCloseUnauthorized);
  EXPECT_EQ(connection->close_reason, "session_revoked");
  ASSERT_EQ(connection->texts.size(), 1u);
  const auto message = boost::json::parse(connection->texts[0]).as_object();
  EXPECT_EQ(message.at("type"), "error");
  EXPECT_EQ(message.at("error_code"), "UNAUTHORIZED");
  EXPECT_EQ(message.at("message"), "Session has been revoked");
  socket.OnClose(4001);
}

TEST_F(NetworkSocketTest, AnotherSessionsRevocationLeavesItOpen) {
  const auto mine = SignIn("mira-socket@example.com");
  auto other = h_.identity().Login("mira-socket@example.com", "Passw0rd-Mira", {"10.0.0.2", "test", std::nullopt});
  ASSERT_TRUE(other.ok());
  NetworkSocket socket(deps_, "net_1", Who(mine));
  auto connection = std::make_shared<FakeConnection>();
  socket.OnOpen(connection);
  ASSERT_TRUE(h_.identity().Logout(Who(*other), false).ok());
  EXPECT_EQ(connection->close_code, 0);
  socket.OnClose(1000);
}

TEST_F(NetworkSocketTest, TheTokensExpiryIsTheConnectionsDeadline) {
  const auto auth = SignIn("mira-socket@example.com");
  NetworkSocket socket(deps_, "net_1", Who(auth));
  auto connection = std::make_shared<FakeConnection>();
  socket.OnOpen(connection);
  // The fake clock stands still: the token's 15 minutes are all left.
  EXPECT_EQ(connection->deadline, std::chrono::milliseconds(15min) - 123ms);
  EXPECT_EQ(connection->deadline_code, http::kCloseUnauthorized);
  EXPECT_EQ(connection->deadline_reason, "token_expired");
  socket.OnClose(1000);
}

}  // namespace
}  // namespace atrium::dialects::mira
