#include "core/arena/arena_chat.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <map>

#include "../chat/chat_fixture.hpp"
#include "../chat/fake_generator.hpp"

namespace atrium::core::arena {
namespace {

using chat::Answer;
using chat::kAlice;
using chat::kBob;
using namespace std::chrono_literals;

// Collects an arena turn's events; waits until `n` answers ended.
class Events {
 public:
  ArenaSink Fn() {
    return [this](const ArenaEvent& e) {
      std::lock_guard lock(mu_);
      EXPECT_FALSE(in_call_) << "sink called concurrently";
      in_call_ = true;
      types_.push_back(e.type);
      if (e.type == ArenaEventType::kSessionCreated) session_id_ = e.session->id;
      if (e.type == ArenaEventType::kDelta) text_[e.config_id] += e.delta;
      if (e.type == ArenaEventType::kStarted) started_[e.config_id] = e.message_id;
      if (e.type == ArenaEventType::kDone) done_[e.config_id] = *e.message;
      if (e.type == ArenaEventType::kError) errors_.insert_or_assign(e.config_id, *e.error);
      if (e.type == ArenaEventType::kDone || e.type == ArenaEventType::kError) {
        ++ended_;
        if (e.last) ++last_;
      }
      in_call_ = false;
      cv_.notify_all();
    };
  }
  bool WaitEnded(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s, [&] { return ended_ >= n; });
  }
  std::size_t Count(ArenaEventType t) {
    std::lock_guard lock(mu_);
    return static_cast<std::size_t>(std::count(types_.begin(), types_.end(), t));
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool in_call_ = false;
  std::vector<ArenaEventType> types_;
  std::string session_id_;
  std::map<std::string, std::string> text_, started_;
  std::map<std::string, ArenaMessage> done_;
  std::map<std::string, Error> errors_;
  std::size_t ended_ = 0;
  std::size_t last_ = 0;
};

class ArenaChatTest : public chat::ChatDatabase {
 protected:
  void SetUp() override {
    ChatDatabase::SetUp();
    configs_ = std::make_unique<assistants::AssistantConfigService>(stores_->repos(), clock_, random_);
    sessions_ = std::make_unique<ArenaService>(stores_->repos(), *configs_, clock_, random_);
    chat_ = std::make_unique<ArenaChat>(*sessions_, *configs_, *store_, generator_, pool_, random_);
    a_ = MakeConfig(kAlice, "A", "model-a", "Be A.");
    b_ = MakeConfig(kAlice, "B", "model-b", "");
  }

  std::string MakeConfig(const std::string& owner, const std::string& name, const std::string& model,
                         const std::string& prompt) {
    assistants::ConfigFields f;
    f.name = name;
    f.model_id = model;
    f.system_prompt = prompt;
    assistants::Parameters p;
    p.temperature = 0.3;
    f.parameters = p;
    auto made = configs_->Create(owner, f);
    EXPECT_TRUE(made.ok());
    return made.ok() ? made->id : "";
  }

  std::unique_ptr<assistants::AssistantConfigService> configs_;
  std::unique_ptr<ArenaService> sessions_;
  std::unique_ptr<ArenaChat> chat_;
  std::string a_, b_;
  // Declared last, destroyed first: the generator joins its stream threads, then the
  // pool its storing tasks, before the services they call back into go away.
  WorkerPool pool_{2, 64};
  chat::FakeGenerator generator_;
};

TEST_F(ArenaChatTest, NewSessionStreamsEveryConfigAndStoresEachAnswer) {
  generator_.Push(Answer{{"Alpha", " one"}});
  generator_.Push(Answer{{"Beta"}});
  Events ev;
  auto turn = chat_->Stream({kAlice, "", {a_, b_}, "", "Compare these"}, ev.Fn());
  ASSERT_TRUE(turn.ok()) << turn.error().internal_message();
  ASSERT_TRUE(ev.WaitEnded(2));
  EXPECT_EQ(ev.Count(ArenaEventType::kSessionCreated), 1u);
  EXPECT_EQ(ev.Count(ArenaEventType::kUserMessage), 1u);
  EXPECT_EQ(ev.Count(ArenaEventType::kStarted), 2u);
  EXPECT_EQ(ev.types_[0], ArenaEventType::kSessionCreated);
  EXPECT_EQ(ev.types_[1], ArenaEventType::kUserMessage);
  EXPECT_EQ(ev.text_[a_], "Alpha one");
  EXPECT_EQ(ev.text_[b_], "Beta");
  EXPECT_EQ(ev.done_[a_].content, "Alpha one");
  EXPECT_EQ(ev.done_[a_].id, ev.started_[a_]);  // the id announced at the start is the stored one

  auto metadata = boost::json::parse(ev.done_[a_].metadata_json).as_object();
  EXPECT_EQ(metadata["model_id"].as_string(), "fake-model");
  EXPECT_EQ(metadata["tokens"].as_object()["total"].as_int64(), 6);
  EXPECT_FALSE(metadata["stopped"].as_bool());

  // Each config got its own model, prompt and sampling.
  auto requests = generator_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].model, "model-a");
  EXPECT_EQ(requests[0].system_prompt, "Be A.");
  EXPECT_EQ(requests[0].sampling.temperature, 0.3);
  EXPECT_EQ(requests[1].model, "model-b");

  auto detail = sessions_->Detail(kAlice, ev.session_id_);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->messages.size(), 3u);
  EXPECT_EQ(detail->messages[0].role, "user");
  EXPECT_EQ(detail->session.message_count, 3);
  // Both answers counted on the user.
  EXPECT_EQ(store_->UsageOf(kAlice)->tokens_used, 12);
  EXPECT_TRUE((*turn)->finished());
  EXPECT_EQ(ev.last_, 1u);  // exactly one answer is told as the last
}

TEST_F(ArenaChatTest, FollowUpSeesUserMessagesAndItsOwnAnswersOnly) {
  Events first;
  auto t1 = chat_->Stream({kAlice, "", {a_, b_}, "", "Q1"}, first.Fn());
  ASSERT_TRUE(t1.ok());
  ASSERT_TRUE(first.WaitEnded(2));
  generator_.Push(Answer{{"A2"}});
  generator_.Push(Answer{{"B2"}});
  Events second;
  auto t2 = chat_->Stream({kAlice, first.session_id_, {}, "", "Q2"}, second.Fn());
  ASSERT_TRUE(t2.ok());
  ASSERT_TRUE(second.WaitEnded(2));
  EXPECT_EQ(second.Count(ArenaEventType::kSessionCreated), 0u);
  const auto requests = generator_.requests();
  ASSERT_EQ(requests.size(), 4u);
  const auto& a_thread = requests[2].model == "model-a" ? requests[2] : requests[3];
  ASSERT_EQ(a_thread.messages.size(), 3u);
  EXPECT_EQ(a_thread.messages[0].content, "Q1");
  EXPECT_EQ(a_thread.messages[1].role, "assistant");
  EXPECT_EQ(a_thread.messages[1].content, first.done_[a_].content);
  EXPECT_EQ(a_thread.messages[2].content, "Q2");
}

TEST_F(ArenaChatTest, AFailingConfigStoresNothingAndTheOthersStand) {
  generator_.Push(Answer{{"fine"}});
  Answer broken;
  broken.fail_after = Error(ErrorCode::kUnavailable, "upstream cut").WithReason(Reason::kLlmUnavailable);
  generator_.Push(broken);
  Events ev;
  auto turn = chat_->Stream({kAlice, "", {a_, b_}, "", "Go"}, ev.Fn());
  ASSERT_TRUE(turn.ok());
  ASSERT_TRUE(ev.WaitEnded(2));
  EXPECT_EQ(ev.done_.size(), 1u);
  ASSERT_EQ(ev.errors_.size(), 1u);
  EXPECT_EQ(ev.errors_.begin()->second.reason(), Reason::kLlmUnavailable);
  auto detail = sessions_->Detail(kAlice, ev.session_id_);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->messages.size(), 2u);  // the question and the one answer
}

TEST_F(ArenaChatTest, CancelStopsEveryAnswerAndKeepsWhatEachHad) {
  Answer slow{{"part"}};
  slow.wait_for_cancel = true;
  generator_.Push(slow);
  generator_.Push(slow);
  Events ev;
  auto turn = chat_->Stream({kAlice, "", {a_, b_}, "", "Long"}, ev.Fn());
  ASSERT_TRUE(turn.ok());
  (*turn)->Cancel();
  ASSERT_TRUE(ev.WaitEnded(2));
  ASSERT_EQ(ev.done_.size(), 2u);
  for (const auto& [config, message] : ev.done_) {
    EXPECT_EQ(message.content, "part");
    EXPECT_TRUE(boost::json::parse(message.metadata_json).as_object()["stopped"].as_bool()) << config;
  }
}

TEST_F(ArenaChatTest, RefusesBadRequestsBeforeStarting) {
  Events ev;
  auto empty = chat_->Stream({kAlice, "", {a_, b_}, "", "  "}, ev.Fn());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code(), ErrorCode::kInvalidArgument);

  auto one = chat_->Stream({kAlice, "", {a_}, "", "x"}, ev.Fn());
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.error().code(), ErrorCode::kInvalidArgument);

  Events mine;
  ASSERT_TRUE(chat_->Stream({kAlice, "", {a_, b_}, "", "mine"}, mine.Fn()).ok());
  ASSERT_TRUE(mine.WaitEnded(2));
  auto theirs = chat_->Stream({kBob, mine.session_id_, {}, "", "x"}, ev.Fn());
  ASSERT_FALSE(theirs.ok());
  EXPECT_EQ(theirs.error().code(), ErrorCode::kNotFound);

  ASSERT_TRUE(
      db_->Execute("UPDATE users SET tokens_limit = 5, tokens_used = 5 WHERE id = ?", {std::string(kAlice)}).ok());
  auto limited = chat_->Stream({kAlice, mine.session_id_, {}, "", "x"}, ev.Fn());
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().reason(), Reason::kTokenLimitExceeded);
  EXPECT_TRUE(ev.types_.empty());
  EXPECT_EQ(generator_.requests().size(), 2u);
}

}  // namespace
}  // namespace atrium::core::arena
