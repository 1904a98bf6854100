// A streamed chat turn over HTTP (dialects/common/turn_stream.hpp): frames held until
// the stream opens, failures before the first byte answered with a status, a client
// that leaves cancels the turn, and the session's end ends the stream. The session
// parts come from the services app/dialect_factory gives every dialect.

#include "dialects/common/turn_stream.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "app/dialect_factory.hpp"
#include "dialects/dialect_harness.hpp"
#include "http/stream.hpp"

namespace atrium::dialects {
namespace {

using core::chat::ChatEvent;
using core::chat::ChatEventType;

class FakeTurn final : public core::chat::ChatTurn {
 public:
  void Cancel() override { ++cancelled; }
  void Abandon() override { ++abandoned; }
  const core::chat::TurnIds& ids() const override { return ids_; }

  int cancelled = 0;
  int abandoned = 0;
  core::chat::TurnIds ids_{.conversation_id = "c1", .user_message_id = "m1", .assistant_message_id = "m2"};
};

class FakeWriter final : public http::StreamWriter {
 public:
  bool Write(std::string data) override {
    std::lock_guard lock(mu_);
    if (closed_ || refuse) return false;
    frames.push_back(std::move(data));
    return true;
  }
  void Close() override {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  bool closed() const override {
    std::lock_guard lock(mu_);
    return closed_;
  }
  void OnClientGone(std::function<void()> callback) override { gone = std::move(callback); }

  mutable std::mutex mu_;
  bool closed_ = false;
  bool refuse = false;
  std::vector<std::string> frames;
  std::function<void()> gone;
};

// One frame per event: "<type>:<delta>".
std::vector<std::string> Frames(const ChatEvent& e) {
  switch (e.type) {
    case ChatEventType::kStarted:
      return {"started:" + e.model};
    case ChatEventType::kDelta:
      return {"delta:" + e.delta};
    case ChatEventType::kDone:
      return {"done"};
    case ChatEventType::kError:
      return {"error:" + e.error->safe_message()};
  }
  return {};
}

http::ApiError Render(const core::Error& error) {
  http::ApiError e = http::MakeError(http::ErrorKind::kUnavailable, error.safe_message());
  e.reason = error.reason();
  return e;
}

class TurnStreamTest : public ::testing::Test {
 protected:
  // Starts a stream whose turn is `turn_`; the sink is kept to play the turn's events.
  http::Reply Start(TurnStreamOptions options = {}) {
    return StreamTurn(
        [this](core::chat::ChatSink sink) -> core::Result<std::shared_ptr<core::chat::ChatTurn>> {
          sink_ = std::move(sink);
          return std::shared_ptr<core::chat::ChatTurn>(turn_);
        },
        Frames, Render, std::move(options));
  }
  void Emit(ChatEventType type, std::string delta = {}) {
    ChatEvent e{type};
    e.ids = &turn_->ids_;
    e.model = "m";
    e.delta = std::move(delta);
    sink_(e);
  }
  // What the transport does: wait for the start, then open the stream.
  static std::optional<http::ApiError> AwaitStart(const http::StreamBody& body) {
    std::optional<std::optional<http::ApiError>> heard;
    body.await_start([&heard](std::optional<http::ApiError> e) { heard = std::move(e); });
    EXPECT_TRUE(heard.has_value()) << "the start is known";
    return heard ? *heard : std::nullopt;
  }
  static const http::StreamBody& Body(http::Reply& reply) {
    EXPECT_TRUE(std::holds_alternative<http::Response>(reply));
    return *std::get<http::Response>(reply).stream;
  }

  testing::DialectHarness h_{testing::Unichat()};
  std::shared_ptr<FakeTurn> turn_ = std::make_shared<FakeTurn>();
  core::chat::ChatSink sink_;
  std::shared_ptr<FakeWriter> writer_ = std::make_shared<FakeWriter>();
};

TEST_F(TurnStreamTest, AFailedStartIsTheAnswer) {
  const auto reply = StreamTurn(
      [](core::chat::ChatSink) -> core::Result<std::shared_ptr<core::chat::ChatTurn>> {
        return core::Error(core::ErrorCode::kUnavailable, "No LLM upstream is configured")
            .WithReason(core::Reason::kLlmNotConfigured);
      },
      Frames, Render);
  ASSERT_TRUE(std::holds_alternative<http::ApiError>(reply));
  EXPECT_EQ(std::get<http::ApiError>(reply).message, "No LLM upstream is configured");
  EXPECT_EQ(std::get<http::ApiError>(reply).reason, core::Reason::kLlmNotConfigured);
}

TEST_F(TurnStreamTest, FramesBeforeTheStreamOpensAreHeldAndSentInOrder) {
  TurnStreamOptions options;
  options.content_type = "text/plain";
  options.decorate = [](const core::chat::ChatTurn& turn, http::Response& r) {
    r.headers.Set("X-Conversation-Id", turn.ids().conversation_id);
  };
  auto reply = Start(std::move(options));
  const auto& response = std::get<http::Response>(reply);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.Get("Content-Type"), "text/plain");
  EXPECT_EQ(response.headers.Get("X-Conversation-Id"), "c1");
  const auto& body = Body(reply);

  Emit(ChatEventType::kStarted);
  Emit(ChatEventType::kDelta, "Hel");
  EXPECT_FALSE(AwaitStart(body).has_value());
  body.start(writer_);
  Emit(ChatEventType::kDelta, "lo");
  Emit(ChatEventType::kDone);
  EXPECT_EQ(writer_->frames, (std::vector<std::string>{"started:m", "delta:Hel", "delta:lo", "done"}));
  EXPECT_TRUE(writer_->closed());
  EXPECT_EQ(turn_->cancelled, 0);
}

TEST_F(TurnStreamTest, AnErrorBeforeTheFirstByteGetsItsOwnStatus) {
  auto reply = Start();
  const auto& body = Body(reply);
  ChatEvent e{ChatEventType::kError};
  e.error = core::Error(core::ErrorCode::kUnavailable, "The LLM upstream is unavailable").WithReason(core::Reason::kLlmUnavailable);
  sink_(e);
  const auto failed = AwaitStart(body);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->message, "The LLM upstream is unavailable");
  EXPECT_EQ(failed->reason, core::Reason::kLlmUnavailable);
}

TEST_F(TurnStreamTest, AnUpstreamThatNeverStartsIsAbandoned) {
  auto reply = Start({.wait_for_start = std::chrono::milliseconds(5)});
  const auto& body = Body(reply);
  EXPECT_EQ(body.await_timeout, std::chrono::milliseconds(5));
  const auto expired = body.await_expired();
  EXPECT_EQ(expired.reason, core::Reason::kLlmUnavailable);
  EXPECT_EQ(turn_->abandoned, 1);
}

TEST_F(TurnStreamTest, AClientThatLeavesOrCannotKeepUpCancelsTheTurn) {
  auto reply = Start();
  const auto& body = Body(reply);
  Emit(ChatEventType::kStarted);
  (void)AwaitStart(body);
  body.start(writer_);
  ASSERT_TRUE(writer_->gone);
  writer_->gone();  // the client went away
  EXPECT_EQ(turn_->cancelled, 1);
  writer_->refuse = true;  // its queue is full
  Emit(ChatEventType::kDelta, "x");
  EXPECT_EQ(turn_->cancelled, 2);
}

TEST_F(TurnStreamTest, TheSessionsRevocationEndsTheStreamAndCancelsTheTurn) {
  core::identity::NewUser user;
  user.email = "stream@example.com";
  user.display_name = "Stream";
  user.password = "Passw0rd-Stream";
  auto auth = h_.identity().Register(user, {}, {"10.0.0.1", "test", std::nullopt}, true);
  ASSERT_TRUE(auth.ok());
  auto who = h_.identity().Authenticate(auth->tokens.access_token);
  ASSERT_TRUE(who.ok());

  TurnStreamOptions options;
  EndWithSession(options, app::CommonDepsOf(h_.core()), *who);
  EXPECT_NE(options.revocations, nullptr);
  ASSERT_TRUE(options.end_after.has_value());  // the access token's expiry
  EXPECT_GT(*options.end_after, std::chrono::milliseconds(0));
  EXPECT_LE(*options.end_after, std::chrono::minutes(15));

  const auto end_after = options.end_after;
  auto reply = Start(std::move(options));
  const auto& body = Body(reply);
  EXPECT_EQ(body.end_after, end_after);
  Emit(ChatEventType::kStarted);
  (void)AwaitStart(body);
  body.start(writer_);
  EXPECT_FALSE(writer_->closed());
  ASSERT_TRUE(h_.identity().Logout(*who, false).ok());
  EXPECT_TRUE(writer_->closed());
  EXPECT_EQ(turn_->cancelled, 1);
}

}  // namespace
}  // namespace atrium::dialects
