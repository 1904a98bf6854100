// Generated titles as durable jobs: a new conversation's turn enqueues one chat.title
// job (once per conversation), the runner's handler sets the title and publishes
// conversation.title as the in-process path does, and a rerun of the same job (its
// instance died after the title was stored) keeps the title and publishes nothing.

#include "core/chat/title_job.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "chat_fixture.hpp"
#include "core/chat/chat_service.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/jobs/job_handler.hpp"
#include "core/jobs/job_queue.hpp"
#include "core/jobs/job_repository.hpp"
#include "core/jobs/job_runner.hpp"
#include "fake_generator.hpp"

namespace atrium::core::chat {
namespace {

using namespace std::chrono_literals;

// A context for running the handler by hand, as a second attempt would.
class ManualContext final : public jobs::JobContext {
 public:
  explicit ManualContext(jobs::Job job) : job_(std::move(job)) {}
  const jobs::Job& job() const override { return job_; }
  bool Progress(const jobs::JobProgress&) override { return true; }
  bool stopping() const override { return false; }

 private:
  jobs::Job job_;
};

class TitleJobTest : public ChatDatabase {
 protected:
  void SetUp() override {
    ChatDatabase::SetUp();
    const auto& repos = stores_->repos();
    runner_ = std::make_unique<jobs::JobRunner>(repos.transactions, repos.jobs, clock_, bus_,
                                                jobs::RunnerOptions{.instance_id = "i1", .poll = 20ms});
    queue_ = std::make_unique<jobs::JobQueue>(repos.transactions, repos.jobs, clock_, random_,
                                              [this] { runner_->Wake(); });
    scheduler_ = std::make_unique<JobTitleScheduler>(*queue_);
    handler_ = std::make_unique<TitleJobHandler>(*store_, generator_, bus_);
    runner_->Register(std::string(kTitleJobKind), *handler_);
    chat_ = std::make_unique<ChatService>(*store_, generator_, bus_, pool_, scheduler_.get());
  }
  void TearDown() override {
    runner_->Shutdown();
    chat_.reset();
  }

  FakeGenerator generator_;
  events::InProcessEventBus bus_;
  WorkerPool pool_{2, 64};
  std::unique_ptr<jobs::JobRunner> runner_;
  std::unique_ptr<jobs::JobQueue> queue_;
  std::unique_ptr<JobTitleScheduler> scheduler_;
  std::unique_ptr<TitleJobHandler> handler_;
  std::unique_ptr<ChatService> chat_;
};

TEST_F(TitleJobTest, ANewConversationsTitleIsAJobAndARerunChangesNothing) {
  auto sub = bus_.Subscribe({events::topics::User(kAlice)}, {});
  generator_.Push({});                                         // the answer
  generator_.Push({.deltas = {"\"Greeting the world.\"\n"}});  // the title
  TurnOptions o;
  o.user_id = kAlice;
  o.content = "Say hello to the world please";
  auto turn = chat_->Send(o);
  ASSERT_TRUE(turn) << turn.error().internal_message();
  const std::string conversation = turn->conversation.id;

  auto jobs = queue_->List({.kind = std::string(kTitleJobKind)});
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 1u);
  const jobs::Job job = (*jobs)[0];
  EXPECT_EQ(job.owner, kAlice);
  EXPECT_EQ(job.dedupe_key, std::optional<std::string>("chat.title:" + conversation));
  EXPECT_EQ(job.state, jobs::JobState::kQueued);

  runner_->Start();
  const events::Event* title = nullptr;
  std::vector<events::EventPtr> seen;
  while (auto e = sub->PopFor(5s)) {
    seen.push_back(e);
    if (e->As<ConversationTitle>() != nullptr) {
      title = e.get();
      break;
    }
  }
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->As<ConversationTitle>()->title, "Greeting the world");
  EXPECT_EQ(store_->Get(kAlice, conversation)->title, "Greeting the world");
  for (int i = 0; i < 500 && queue_->Get(job.id)->state != jobs::JobState::kSucceeded; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(queue_->Get(job.id)->state, jobs::JobState::kSucceeded);
  EXPECT_EQ(queue_->Get(job.id)->result, std::optional<std::string>("replaced"));

  // A second attempt of the same job: the title is no longer the first one.
  generator_.Push({.deltas = {"Another title"}});
  ManualContext again(job);
  auto rerun = handler_->Run(again);
  ASSERT_TRUE(rerun.ok());
  EXPECT_EQ(*rerun, "kept");
  EXPECT_EQ(store_->Get(kAlice, conversation)->title, "Greeting the world");
  while (auto e = sub->PopFor(200ms)) EXPECT_EQ(e->As<ConversationTitle>(), nullptr);

  // A malformed payload fails for good.
  jobs::Job broken = job;
  broken.payload = "{";
  ManualContext bad(broken);
  auto refused = handler_->Run(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace atrium::core::chat
