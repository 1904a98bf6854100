// The neutral text form a shared bus will carry: every payload type round-trips, with
// every enum value, and malformed text is refused.

#include "core/events/event_codec.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <variant>
#include <vector>

namespace atrium::core::events {
namespace {

std::vector<Event> Samples() {
  using identity::RevocationCause;
  using identity::SessionsRevoked;
  std::vector<Event> out;
  auto add = [&out](Payload payload) {
    out.push_back(Event{{topics::User("u1"), topics::Conversation("c1")}, std::move(payload), 42});
  };
  add(chat::MessageStarted{"c1", "m2", "m1", "gpt-x"});
  add(chat::MessageStarted{"c1", "m2", "", ""});  // a regeneration answers no new message
  add(chat::MessageDelta{"c1", "m2", "h\xC3\xA9llo \"quoted\"\n\\"});
  add(chat::MessageDone{"c1", "m2", "Hello", chat::MessageStatus::kComplete, "gpt-x", {3, 4, 7}, 250, 0.0125});
  add(chat::MessageDone{"c1", "m2", "He", chat::MessageStatus::kCancelled, "gpt-x", {3, 1, 4}, 10, std::nullopt});
  add(chat::MessageDone{"c1", "m2", "", chat::MessageStatus::kComplete, "m", {0, 0, 0}, 0, 2.0});
  for (int r = 0; r <= static_cast<int>(kLastReason); ++r) {
    add(chat::MessageError{"c1", "m2", ErrorCode::kUnavailable, static_cast<Reason>(r),
                           "The LLM upstream is unavailable"});
  }
  for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c) {
    add(chat::MessageError{"c1", "m2", static_cast<ErrorCode>(c), Reason::kNone, "x"});
  }
  add(chat::ConversationTitle{"c1", "Greeting the world"});
  add(chat::TurnCancelRequested{"chat:m1", "u1"});
  for (auto scope :
       {SessionsRevoked::Scope::kSessions, SessionsRevoked::Scope::kAll, SessionsRevoked::Scope::kAllExcept}) {
    for (int c = 0; c <= static_cast<int>(RevocationCause::kAccountInactive); ++c) {
      add(SessionsRevoked{"u1", scope, {"s1", "s2"}, static_cast<RevocationCause>(c)});
    }
  }
  add(SessionsRevoked{"u1", SessionsRevoked::Scope::kAll, {}, RevocationCause::kLogout});
  add(logs::ClientLogReceived{"l1", "2026-01-01T00:00:00Z", "INFO", "net", "hi", "dev-1", "Phone"});
  add(logs::ClientLogReceived{"l1", "2026-01-01T00:00:00Z", "ERROR", "", "", std::nullopt, std::nullopt});
  for (auto state : {jobs::JobState::kQueued, jobs::JobState::kRunning, jobs::JobState::kSucceeded,
                     jobs::JobState::kFailed, jobs::JobState::kCancelled}) {
    add(jobs::JobUpdated{"j1", "chat.title", "u1", state, 2, {3, 12, "Step 3 of 12"}, "upstream down"});
  }
  add(jobs::JobUpdated{"j1", "k", "", jobs::JobState::kQueued, 0, {}, std::nullopt});
  for (auto change : {memory::MemoryChange::kCreated, memory::MemoryChange::kUpdated, memory::MemoryChange::kDeleted}) {
    add(memory::MemoryChanged{"u1", "m1", change, memory::MemoryOrigin::kAuto, "Works at XYZ Corp"});
  }
  add(memory::MemoryChanged{"u1", "m1", memory::MemoryChange::kDeleted, memory::MemoryOrigin::kManual, ""});
  add(OpaqueJson{"message.delta", R"({"n":[1,2,{"x":null}]})"});  // a client may reuse a core name
  add(OpaqueJson{"tick", "3"});
  out.push_back(Event{{"broadcast:x"}, OpaqueJson{"t", "{}"}, 0});
  return out;
}

TEST(EventCodecTest, EveryPayloadTypeRoundTrips) {
  std::set<std::size_t> covered;
  for (const Event& event : Samples()) {
    covered.insert(event.payload.index());
    const std::string text = EncodeEvent(event);
    auto decoded = DecodeEvent(text);
    ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.error().internal_message();
    EXPECT_EQ(*decoded, event) << text;
    EXPECT_EQ(EncodeEvent(*decoded), text);
  }
  EXPECT_EQ(covered.size(), std::variant_size_v<Payload>) << "a payload type has no sample";
}

TEST(EventCodecTest, EveryReasonHasAName) {
  std::set<std::string_view> names;
  for (int r = 0; r <= static_cast<int>(kLastReason); ++r) {
    const auto reason = static_cast<Reason>(r);
    const std::string_view name = ReasonName(reason);
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(ReasonFromName(name), reason) << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kLastReason) + 1);
  EXPECT_EQ(ReasonName(Reason::kTokenReused), "token_reused");
  EXPECT_EQ(ReasonFromName("no_such_reason"), std::nullopt);
}

TEST(EventCodecTest, KeepsAnOpaqueTypeApartFromTheCoresTypes) {
  const Event opaque{{"broadcast:x"}, OpaqueJson{"message.delta", "{}"}, 1};
  auto decoded = DecodeEvent(EncodeEvent(opaque));
  ASSERT_TRUE(decoded.ok());
  ASSERT_NE(decoded->As<OpaqueJson>(), nullptr);
  EXPECT_EQ(decoded->As<chat::MessageDelta>(), nullptr);
  EXPECT_EQ(EventTypeName(decoded->payload), "message.delta");
}

TEST(EventCodecTest, RefusesMalformedText) {
  const std::string good = EncodeEvent(Event{{"user:u1"}, chat::ConversationTitle{"c1", "t"}, 1});
  ASSERT_TRUE(DecodeEvent(good).ok());
  for (
      const char* bad : {
          "",
          "[]",
          "nope",
          R"({})",
          R"({"v":2,"type":"conversation.title","topics":["user:u1"],"sequence":1,"payload":{"conversation_id":"c","title":"t"}})",
          R"({"v":1,"type":"no.such","topics":["user:u1"],"sequence":1,"payload":{}})",
          R"({"v":1,"type":"conversation.title","topics":"user:u1","sequence":1,"payload":{"conversation_id":"c","title":"t"}})",
          R"({"v":1,"type":"conversation.title","topics":[1],"sequence":1,"payload":{"conversation_id":"c","title":"t"}})",
          R"({"v":1,"type":"conversation.title","topics":[],"sequence":-1,"payload":{"conversation_id":"c","title":"t"}})",
          R"({"v":1,"type":"conversation.title","topics":[],"sequence":1,"payload":{"conversation_id":"c"}})",
          R"({"v":1,"type":"conversation.title","topics":[],"sequence":1,"payload":{"conversation_id":"c","title":5}})",
          R"({"v":1,"type":"message.error","topics":[],"sequence":1,"payload":{"conversation_id":"c","message_id":"m","code":"unavailable","reason":"boredom","message":"x"}})",
          R"({"v":1,"type":"message.error","topics":[],"sequence":1,"payload":{"conversation_id":"c","message_id":"m","code":"oops","reason":"none","message":"x"}})",
          R"({"v":1,"type":"identity.sessions_revoked","topics":[],"sequence":1,"payload":{"user_id":"u1","scope":"some","session_ids":[],"cause":"logout"}})",
          R"({"v":1,"type":"identity.sessions_revoked","topics":[],"sequence":1,"payload":{"user_id":"u1","scope":"all","session_ids":[1],"cause":"logout"}})",
          R"({"v":1,"type":"identity.sessions_revoked","topics":[],"sequence":1,"payload":{"user_id":"u1","scope":"all","session_ids":[],"cause":"boredom"}})",
          R"({"v":1,"type":"message.done","topics":[],"sequence":1,"payload":{"conversation_id":"c","message_id":"m","content":"","status":"lost","model":"","prompt_tokens":0,"completion_tokens":0,"total_tokens":0,"generation_ms":0,"cost_usd":null}})",
          R"({"v":1,"type":"opaque","topics":[],"sequence":1,"payload":{"type":"","json":"{}"}})",
      }) {
    auto decoded = DecodeEvent(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace atrium::core::events
