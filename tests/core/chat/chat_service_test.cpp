#include "core/chat/chat_service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <deque>
#include <thread>

#include "chat_fixture.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "fake_generator.hpp"

namespace atrium::core::chat {
namespace {

using namespace std::chrono_literals;

// Collects a streamed turn's events.
class Sink {
 public:
  ChatSink Fn() {
    return [this](const ChatEvent& e) {
      std::lock_guard lock(mu_);
      types_.push_back(e.type);
      if (e.type == ChatEventType::kDelta) text_ += e.delta;
      if (e.type == ChatEventType::kDone) result_ = *e.result;
      if (e.type == ChatEventType::kError) error_ = e.error;
      if (e.type == ChatEventType::kDone || e.type == ChatEventType::kError) {
        ended_ = true;
      }
      cv_.notify_all();
    };
  }
  bool WaitEnd() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s, [&] { return ended_; });
  }
  bool WaitText(const std::string& text) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s, [&] { return text_ == text; });
  }
  std::optional<TurnResult> result() {
    std::lock_guard lock(mu_);
    return result_;
  }
  std::optional<Error> error() {
    std::lock_guard lock(mu_);
    return error_;
  }
  std::vector<ChatEventType> types() {
    std::lock_guard lock(mu_);
    return types_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ChatEventType> types_;
  std::string text_;
  std::optional<TurnResult> result_;
  std::optional<Error> error_;
  bool ended_ = false;
};

Error Down() {
  return Error(ErrorCode::kUnavailable, "The LLM upstream is unavailable").WithReason(Reason::kLlmUnavailable);
}

class ChatServiceTest : public ChatDatabase {
 protected:
  void SetUp() override {
    ChatDatabase::SetUp();
    chat_ = std::make_unique<ChatService>(*store_, generator_, bus_, pool_);
  }
  void TearDown() override { chat_.reset(); }

  std::vector<events::Event> Drain(events::Subscription& sub, std::size_t at_least = 0) {
    std::vector<events::Event> out;
    while (auto e = sub.PopFor(out.size() < at_least ? 5000ms : 50ms)) out.push_back(*e);
    return out;
  }
  static std::vector<std::string> Types(const std::vector<events::Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.emplace_back(events::EventTypeName(e.payload));
    return out;
  }

  TurnOptions Turn(std::string content, std::string conversation = {}) {
    TurnOptions o;
    o.user_id = kAlice;
    o.conversation_id = std::move(conversation);
    o.content = std::move(content);
    return o;
  }

  FakeGenerator generator_;
  events::InProcessEventBus bus_;
  WorkerPool pool_{2, 64};
  std::unique_ptr<ChatService> chat_;
};

TEST_F(ChatServiceTest, SendStoresTheTurnCountsUsageAndTitlesInTheBackground) {
  auto sub = bus_.Subscribe({events::topics::User(kAlice)}, {});
  generator_.Push({});                                         // the answer
  generator_.Push({.deltas = {"\"Greeting the world.\"\n"}});  // the title
  auto o = Turn("Say hello to the world please");
  o.system_prompt = "Be kind.";
  auto turn = chat_->Send(o);
  ASSERT_TRUE(turn) << turn.error().internal_message();
  EXPECT_EQ(turn->assistant_message.content, "Hello world");
  EXPECT_EQ(turn->assistant_message.generation->model, "fake-model");
  EXPECT_EQ(turn->assistant_message.generation->generation_ms, 250);
  EXPECT_EQ(turn->conversation.message_count, 2);
  EXPECT_EQ(turn->conversation.stats.total_tokens, 6);
  EXPECT_DOUBLE_EQ(turn->conversation.stats.cost_usd, 0.5);
  EXPECT_EQ(turn->conversation.title, "Say hello to the world please");
  EXPECT_EQ(turn->conversation.system_prompt, "Be kind.");
  auto usage = store_->UsageOf(kAlice);
  EXPECT_EQ(usage->tokens_used, 6);
  EXPECT_EQ(usage->messages_sent, 1);

  const auto events = Drain(*sub, 2);
  EXPECT_EQ(Types(events), (std::vector<std::string>{"message.done", "conversation.title"}));
  ASSERT_NE(events[1].As<ConversationTitle>(), nullptr);
  EXPECT_EQ(events[1].As<ConversationTitle>()->title, "Greeting the world");
  EXPECT_EQ(store_->Get(kAlice, turn->conversation.id)->title, "Greeting the world");

  const auto reqs = generator_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].system_prompt, "Be kind.");
  ASSERT_EQ(reqs[0].messages.size(), 1u);
  EXPECT_EQ(reqs[1].messages[0].content, "Say hello to the world please");  // the title's prompt
}

TEST_F(ChatServiceTest, TheNextTurnSeesTheHistoryAndSystemPrompt) {
  auto o = Turn("first");
  o.system_prompt = "Sys";
  o.generate_title = false;
  auto first = chat_->Send(o);
  ASSERT_TRUE(first);
  generator_.Push({.deltas = {"second answer"}});
  auto second = chat_->Send(Turn("second", first->conversation.id));
  ASSERT_TRUE(second);
  const auto reqs = generator_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].system_prompt, "Sys");
  ASSERT_EQ(reqs[1].messages.size(), 3u);
  EXPECT_EQ(reqs[1].messages[0].content, "first");
  EXPECT_EQ(reqs[1].messages[1].content, "Hello world");
  EXPECT_EQ(reqs[1].messages[2].content, "second");
  EXPECT_EQ(second->conversation.message_count, 4);
  EXPECT_EQ(store_->UsageOf(kAlice)->messages_sent, 2);
}

TEST_F(ChatServiceTest, AFailedGenerationStoresNothing) {
  auto sub = bus_.Subscribe({events::topics::User(kAlice)}, {});
  generator_.Push({.fail_at_start = Down()});
  auto turn = chat_->Send(Turn("hello"));
  ASSERT_FALSE(turn);
  EXPECT_EQ(turn.error().reason(), Reason::kLlmUnavailable);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM conversations"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages"), 0);
  EXPECT_EQ(store_->UsageOf(kAlice)->tokens_used, 0);
  const auto events = Drain(*sub, 1);
  ASSERT_EQ(events.size(), 1u);
  const auto* failed = events[0].As<MessageError>();
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->reason, Reason::kLlmUnavailable);
  EXPECT_EQ(failed->code, ErrorCode::kUnavailable);

  // An existing conversation keeps exactly what it had.
  auto o = Turn("ok");
  o.generate_title = false;
  auto existing = chat_->Send(o);
  ASSERT_TRUE(existing);
  generator_.Push({.fail_at_start = Down()});
  ASSERT_FALSE(chat_->Send(Turn("again", existing->conversation.id)));
  EXPECT_EQ(store_->Get(kAlice, existing->conversation.id)->message_count, 2);
}

TEST_F(ChatServiceTest, StreamingRelaysDeltasPublishesAndStoresAtTheEnd) {
  auto sub = bus_.Subscribe({events::topics::User(kAlice)}, {});
  generator_.Push({.deltas = {"A", "B", "C"}});
  Sink sink;
  auto o = Turn("stream please");
  o.generate_title = false;
  auto turn = chat_->Stream(o, sink.Fn());
  ASSERT_TRUE(turn) << turn.error().internal_message();
  ASSERT_TRUE(sink.WaitEnd());
  EXPECT_EQ(sink.types(),
            (std::vector<ChatEventType>{ChatEventType::kStarted, ChatEventType::kDelta, ChatEventType::kDelta,
                                        ChatEventType::kDelta, ChatEventType::kDone}));
  auto result = sink.result();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->assistant_message.content, "ABC");
  EXPECT_EQ(result->assistant_message.id, (*turn)->ids().assistant_message_id);
  EXPECT_EQ(result->conversation.id, (*turn)->ids().conversation_id);
  auto stored = store_->Messages(kAlice, (*turn)->ids().conversation_id);
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_EQ((*stored)[1].content, "ABC");
  const auto events = Drain(*sub, 5);
  EXPECT_EQ(Types(events), (std::vector<std::string>{"message.started", "message.delta", "message.delta",
                                                     "message.delta", "message.done"}));
  const auto* delta = events[1].As<MessageDelta>();
  ASSERT_NE(delta, nullptr);
  EXPECT_EQ(delta->delta, "A");
  EXPECT_EQ(delta->message_id, (*turn)->ids().assistant_message_id);
  // One publish reaches both of the turn's topics.
  EXPECT_EQ(events[1].topics, (std::vector<std::string>{events::topics::User(kAlice),
                                                        events::topics::Conversation((*turn)->ids().conversation_id)}));
}

TEST_F(ChatServiceTest, DeltasArePublishedOnceAndOnlyWhenSomeoneListens) {
  // Nobody follows the user: the turn publishes its started and done events, no delta.
  auto bystander = bus_.Subscribe({events::topics::User("someone-else")}, {});
  generator_.Push({.deltas = {"A", "B"}});
  Sink quiet;
  auto o = Turn("stream please");
  o.generate_title = false;
  auto unheard = chat_->Stream(o, quiet.Fn());
  ASSERT_TRUE(unheard) << unheard.error().internal_message();
  ASSERT_TRUE(quiet.WaitEnd());
  EXPECT_EQ(quiet.types().size(), 4u);  // the turn's own sink still hears every delta
  // The bus stamps every publish: started and done were published, the deltas were not.
  ASSERT_TRUE(bus_.Publish({{events::topics::User("someone-else")}, ConversationTitle{"probe", "probe"}}));
  const auto probe = Drain(*bystander, 1);
  ASSERT_EQ(probe.size(), 1u);
  EXPECT_EQ(probe[0].sequence, 3u);

  // A subscription to both the user's and the conversation's topic hears each delta once.
  const std::string conversation = (*unheard)->ids().conversation_id;
  auto both = bus_.Subscribe({events::topics::User(kAlice), events::topics::Conversation(conversation)}, {});
  auto user_only = bus_.Subscribe({events::topics::User(kAlice)}, {});
  generator_.Push({.deltas = {"C", "D"}});
  Sink heard;
  auto next = chat_->Stream(Turn("again", conversation), heard.Fn());
  ASSERT_TRUE(next);
  ASSERT_TRUE(heard.WaitEnd());
  const std::vector<std::string> expected{"message.started", "message.delta", "message.delta", "message.done"};
  const auto twice_followed = Drain(*both, 4);
  EXPECT_EQ(Types(twice_followed), expected);
  EXPECT_EQ(Types(Drain(*user_only, 4)), expected);
  for (std::size_t i = 1; i < twice_followed.size(); ++i) {
    EXPECT_EQ(twice_followed[i].sequence, twice_followed[i - 1].sequence + 1);  // one publish each
  }
}

TEST_F(ChatServiceTest, AStreamCutMidwayStoresNothing) {
  generator_.Push({.deltas = {"par"}, .fail_after = Down()});
  Sink sink;
  auto turn = chat_->Stream(Turn("hello"), sink.Fn());
  ASSERT_TRUE(turn);
  ASSERT_TRUE(sink.WaitEnd());
  ASSERT_TRUE(sink.error());
  EXPECT_EQ(sink.error()->reason(), Reason::kLlmUnavailable);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM conversations"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages"), 0);
  EXPECT_EQ(store_->UsageOf(kAlice)->tokens_used, 0);
}

TEST_F(ChatServiceTest, ACancelledStreamStoresThePartialAnswerOnce) {
  generator_.Push({.deltas = {"half an"}, .wait_for_cancel = true});
  Sink sink;
  auto o = Turn("tell me everything");
  o.generate_title = false;
  auto turn = chat_->Stream(o, sink.Fn());
  ASSERT_TRUE(turn);
  ASSERT_TRUE(sink.WaitText("half an"));
  (*turn)->Cancel();
  (*turn)->Cancel();
  ASSERT_TRUE(sink.WaitEnd());
  auto result = sink.result();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->assistant_message.status, MessageStatus::kCancelled);
  EXPECT_EQ(result->assistant_message.content, "half an");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages WHERE role = 'assistant'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages WHERE status = 'cancelled'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages"), 2);
}

TEST_F(ChatServiceTest, AnAbandonedStreamStoresNothing) {
  generator_.Push({.deltas = {"x"}, .wait_for_cancel = true});
  Sink sink;
  auto turn = chat_->Stream(Turn("hello"), sink.Fn());
  ASSERT_TRUE(turn);
  ASSERT_TRUE(sink.WaitText("x"));
  (*turn)->Abandon();
  ASSERT_TRUE(sink.WaitEnd());
  EXPECT_EQ(sink.error()->reason(), Reason::kAbandoned);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages"), 0);
}

TEST_F(ChatServiceTest, TheTokenLimitIsEnforcedAndCapsTheAnswer) {
  ASSERT_TRUE(db_->Execute("UPDATE users SET tokens_limit = 10, tokens_used = 4 WHERE id = ?", {std::string(kAlice)}));
  auto o = Turn("hi");
  o.generate_title = false;
  o.sampling.max_tokens = 100;
  ASSERT_TRUE(chat_->Send(o));
  EXPECT_EQ(generator_.requests()[0].sampling.max_tokens, std::optional<std::int64_t>(6));
  EXPECT_EQ(store_->UsageOf(kAlice)->tokens_used, 10);
  auto refused = chat_->Send(o);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(refused.error().reason(), Reason::kTokenLimitExceeded);
  EXPECT_EQ(generator_.requests().size(), 1u);
}

TEST_F(ChatServiceTest, RegenerateReplacesTheLastAnswer) {
  auto o = Turn("question");
  o.generate_title = false;
  auto first = chat_->Send(o);
  ASSERT_TRUE(first);
  generator_.Push({.deltas = {"another answer"}});
  RegenerateOptions r;
  r.user_id = kAlice;
  r.conversation_id = first->conversation.id;
  auto again = chat_->Regenerate(r);
  ASSERT_TRUE(again) << again.error().internal_message();
  auto messages = store_->Messages(kAlice, first->conversation.id);
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].content, "question");
  EXPECT_EQ((*messages)[1].content, "another answer");
  EXPECT_EQ(generator_.requests()[1].messages.size(), 1u);
  EXPECT_EQ(store_->UsageOf(kAlice)->messages_sent, 1);  // no new user message

  r.user_id = kBob;
  EXPECT_EQ(chat_->Regenerate(r).error().code(), ErrorCode::kNotFound);
}

TEST_F(ChatServiceTest, EditThenRegenerateDeletesWhatFollowed) {
  auto o = Turn("one");
  o.generate_title = false;
  auto first = chat_->Send(o);
  ASSERT_TRUE(first);
  ASSERT_TRUE(chat_->Send(Turn("two", first->conversation.id)));
  generator_.Push({.deltas = {"edited answer"}});
  RegenerateOptions r;
  r.user_id = kAlice;
  r.conversation_id = first->conversation.id;
  r.edit_message_id = first->user_message->id;
  r.edit_content = "uno";
  Sink sink;
  auto turn = chat_->StreamRegenerate(r, sink.Fn());
  ASSERT_TRUE(turn) << turn.error().internal_message();
  ASSERT_TRUE(sink.WaitEnd());
  auto messages = store_->Messages(kAlice, first->conversation.id);
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].content, "uno");
  ASSERT_EQ((*messages)[0].edit_history.size(), 1u);
  EXPECT_EQ((*messages)[0].edit_history[0].content, "one");
  EXPECT_EQ((*messages)[1].content, "edited answer");
  const auto req = generator_.requests().back();
  ASSERT_EQ(req.messages.size(), 1u);
  EXPECT_EQ(req.messages[0].content, "uno");

  // Editing an assistant message is refused; nothing changes.
  r.edit_message_id = (*messages)[1].id;
  EXPECT_EQ(chat_->Regenerate(r).error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ChatServiceTest, EmptyMessagesAndOtherUsersConversationsAreRefused) {
  EXPECT_EQ(chat_->Send(Turn("   ")).error().code(), ErrorCode::kInvalidArgument);
  auto o = Turn("mine");
  o.generate_title = false;
  auto first = chat_->Send(o);
  ASSERT_TRUE(first);
  auto theirs = Turn("intrude", first->conversation.id);
  theirs.user_id = kBob;
  EXPECT_EQ(chat_->Send(theirs).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(generator_.requests().size(), 1u);
}

TEST(ChatTitleTest, CleansGeneratedTitles) {
  EXPECT_EQ(CleanTitle("  \"Planning a trip.\"  \nmore"), "Planning a trip");
  EXPECT_EQ(CleanTitle("# Title"), "Title");
  EXPECT_EQ(CleanTitle("\n\n"), "");
  EXPECT_EQ(CleanTitle(std::string(100, 'x')).size(), 80u);
  EXPECT_EQ(TitleFromMessage("  first line\nsecond"), "first line");
  EXPECT_EQ(TitleFromMessage("   "), "New conversation");
  // Cut at a UTF-8 boundary: 30 two-byte letters are 60 bytes; 31 would split one.
  std::string umlauts;
  for (int i = 0; i < 31; ++i) umlauts += "\xC3\xA4";
  EXPECT_EQ(TitleFromMessage(umlauts).size(), 60u);
}

}  // namespace
}  // namespace atrium::core::chat
