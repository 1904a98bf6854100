// Auto-saved memories on a real SQLite store with a scripted generator: consolidation
// adds a new fact without asking the model, keeps an identical one out whatever the
// model says, updates a contradicted memory, deletes only what was itself extracted;
// the memory.extract job stores nothing twice when it runs again, survives garbage,
// retries the generator's failures; and a chat turn that asks for it enqueues exactly
// one extraction, which the runner carries out.

#include "core/memory/extraction_job.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "core/chat/chat_fixture.hpp"
#include "core/chat/chat_service.hpp"
#include "core/chat/fake_generator.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/jobs/job_queue.hpp"
#include "core/jobs/job_runner.hpp"
#include "core/memory/memory_changed.hpp"
#include "core/memory/memory_consolidation.hpp"
#include "core/memory/memory_service.hpp"

namespace atrium::core::memory {
namespace {

using namespace std::chrono_literals;
using chat::Answer;
using chat::kAlice;
using chat::kBob;

class ManualContext final : public jobs::JobContext {
 public:
  explicit ManualContext(jobs::Job job) : job_(std::move(job)) {}
  const jobs::Job& job() const override { return job_; }
  bool Progress(const jobs::JobProgress&) override { return true; }
  bool stopping() const override { return false; }

 private:
  jobs::Job job_;
};

class MemoryExtractionTest : public chat::ChatDatabase {
 protected:
  void SetUp() override {
    ChatDatabase::SetUp();
    memories_ = std::make_unique<MemoryService>(stores_->repos().memories, bus_, clock_, random_);
    consolidator_ = std::make_unique<Consolidator>(*memories_, generator_);
    handler_ = std::make_unique<ExtractionJobHandler>(*memories_, generator_);
  }

  Memory Save(const std::string& user, const std::string& content, MemoryOrigin origin = MemoryOrigin::kManual) {
    NewMemory m;
    m.content = content;
    m.origin = origin;
    auto saved = memories_->Save(user, m);
    EXPECT_TRUE(saved.ok());
    return *saved;
  }

  std::vector<Memory> All(const std::string& user) {
    auto all = stores_->repos().memories.Recent(user, {}, 100);
    EXPECT_TRUE(all.ok());
    return *all;
  }

  static Answer Reply(std::string text) { return Answer{.deltas = {std::move(text)}}; }

  ExtractionRequest Request(std::string text) {
    return {kAlice, "conv-1", "msg-user-1", "msg-answer-1", std::move(text), "fake-model"};
  }

  jobs::Job JobFor(const ExtractionRequest& r) {
    jobs::Job job;
    job.id = "job-1";
    job.kind = std::string(kExtractionJobKind);
    job.payload = EncodeRequest(r);
    return job;
  }

  chat::FakeGenerator generator_;
  events::InProcessEventBus bus_;
  std::unique_ptr<MemoryService> memories_;
  std::unique_ptr<Consolidator> consolidator_;
  std::unique_ptr<ExtractionJobHandler> handler_;
};

TEST_F(MemoryExtractionTest, ANewFactIsAddedWithoutAskingTheModel) {
  auto sub = bus_.Subscribe({events::topics::User(kAlice)}, {});
  auto out = consolidator_->Consolidate(kAlice, {"User works at XYZ Corp", MemoryType::kFact, 0.8}, "auto:src", "m");
  ASSERT_TRUE(out.ok()) << out.error().internal_message();
  EXPECT_EQ(out->what, Consolidated::kAdded);
  EXPECT_TRUE(generator_.requests().empty());
  const auto all = All(kAlice);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, out->memory_id);
  EXPECT_EQ(all[0].content, "User works at XYZ Corp");
  EXPECT_EQ(all[0].importance, 0.8);
  EXPECT_EQ(all[0].origin, MemoryOrigin::kAuto);
  EXPECT_EQ(all[0].source, std::optional<std::string>("auto:src"));
  auto e = sub->PopFor(2s);
  ASSERT_TRUE(e);
  ASSERT_NE(e->As<MemoryChanged>(), nullptr);
  EXPECT_EQ(*e->As<MemoryChanged>(), (MemoryChanged{kAlice, out->memory_id, MemoryChange::kCreated, MemoryOrigin::kAuto,
                                                    "User works at XYZ Corp"}));
  EXPECT_TRUE(All(kBob).empty());
}

TEST_F(MemoryExtractionTest, AnIdenticalFactIsKeptOutWhateverTheModelSays) {
  const Memory tea = Save(kAlice, "User likes tea.");
  generator_.Push(Reply(R"({"event": "ADD"})"));
  auto out = consolidator_->Consolidate(kAlice, {"user likes  TEA", MemoryType::kPreference, 0.9}, "auto:src", "m");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->what, Consolidated::kKept);
  EXPECT_EQ(out->memory_id, tea.id);
  EXPECT_TRUE(generator_.requests().empty());  // decided in C++, the ADD never asked for
  EXPECT_EQ(All(kAlice).size(), 1u);
  // Another user's identical memory does not count.
  out = consolidator_->Consolidate(kBob, {"User likes tea.", MemoryType::kFact, 0.5}, "auto:src", "m");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->what, Consolidated::kAdded);
}

TEST_F(MemoryExtractionTest, AContradictedMemoryIsUpdated) {
  const Memory paris = Save(kAlice, "User lives in Paris");
  auto sub = bus_.Subscribe({events::topics::User(kAlice)}, {});
  generator_.Push(Reply(R"(Here: {"event": "UPDATE", "id": "0", "text": "User lives in Berlin since 2024"})"));
  auto out = consolidator_->Consolidate(kAlice, {"User lives in Berlin", MemoryType::kFact, 0.7}, "auto:src", "m");
  ASSERT_TRUE(out.ok()) << out.error().internal_message();
  EXPECT_EQ(out->what, Consolidated::kUpdated);
  EXPECT_EQ(out->memory_id, paris.id);
  const auto all = All(kAlice);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].content, "User lives in Berlin since 2024");
  EXPECT_EQ(all[0].importance, 0.7);  // the higher of 0.5 and 0.7
  // The model was shown the fact and the similar memory by number, not by id.
  const auto requests = generator_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_NE(requests[0].system_prompt.find("most similar"), std::string::npos);
  EXPECT_EQ(requests[0].messages.back().content,
            R"({"new_fact":"User lives in Berlin","stored_memories":[{"id":"0","text":"User lives in Paris"}]})");
  auto e = sub->PopFor(2s);
  ASSERT_TRUE(e);
  EXPECT_EQ(*e->As<MemoryChanged>(), (MemoryChanged{kAlice, paris.id, MemoryChange::kUpdated, MemoryOrigin::kAuto,
                                                    "User lives in Berlin since 2024"}));
}

TEST_F(MemoryExtractionTest, AnUpdateWithoutTextTakesTheFact) {
  const Memory paris = Save(kAlice, "User lives in Paris");
  generator_.Push(Reply(R"({"event": "UPDATE", "id": 0})"));
  auto out = consolidator_->Consolidate(kAlice, {"User lives in Rome", MemoryType::kFact, 0.4}, "auto:src", "m");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->what, Consolidated::kUpdated);
  EXPECT_EQ(memories_->Get(kAlice, paris.id)->content, "User lives in Rome");
  EXPECT_EQ(memories_->Get(kAlice, paris.id)->importance, 0.5);
}

// Stands for the retrieval layer's search by meaning: a memory that shares no word with
// the fact is still the similar one.
class ByMeaning final : public SimilarMemories {
 public:
  explicit ByMeaning(std::vector<Memory> found) : found_(std::move(found)) {}
  Result<std::vector<Memory>> Similar(const std::string&, const std::string& text, std::int64_t) const override {
    asked_.push_back(text);
    return found_;
  }
  mutable std::vector<std::string> asked_;

 private:
  std::vector<Memory> found_;
};

TEST_F(MemoryExtractionTest, TheSimilarMemoriesComeFromTheGivenSearch) {
  const Memory home = Save(kAlice, "Resides in Paris");
  // By shared words alone nothing is similar: the fact is added without asking.
  auto alone = Consolidator(*memories_, generator_)
                   .Consolidate(kAlice, {"User lives near the Seine", MemoryType::kFact, 0.5}, "auto:src", "m");
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(alone->what, Consolidated::kAdded);
  EXPECT_TRUE(generator_.requests().empty());
  // By meaning, the stored home is shown to the model, which keeps it.
  ByMeaning meaning({home});
  generator_.Push(Reply(R"({"event": "NONE", "id": "0"})"));
  auto out = Consolidator(*memories_, generator_, &meaning)
                 .Consolidate(kAlice, {"Home is the French capital", MemoryType::kFact, 0.5}, "auto:src", "m");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->what, Consolidated::kKept);
  EXPECT_EQ(out->memory_id, home.id);
  EXPECT_EQ(meaning.asked_, std::vector<std::string>{"Home is the French capital"});
  const auto requests = generator_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].messages.back().content,
            R"({"new_fact":"Home is the French capital","stored_memories":[{"id":"0","text":"Resides in Paris"}]})");
  EXPECT_EQ(All(kAlice).size(), 2u);
}

TEST_F(MemoryExtractionTest, AddNoneUnreadableAndUnknownIds) {
  Save(kAlice, "User lives in Paris");
  generator_.Push(Reply(R"({"event": "ADD"})"));
  auto out = consolidator_->Consolidate(kAlice, {"User lives near the river", MemoryType::kFact, 0.5}, "s", "m");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->what, Consolidated::kAdded);
  EXPECT_EQ(All(kAlice).size(), 2u);

  generator_.Push(Reply(R"({"event": "NONE", "id": "1"})"));
  out = consolidator_->Consolidate(kAlice, {"User lives in the city of Paris", MemoryType::kFact, 0.5}, "s", "m");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->what, Consolidated::kKept);
  EXPECT_EQ(All(kAlice).size(), 2u);

  // An answer that is no decision, or an update of a memory never shown: the fact is added.
  generator_.Push(Reply("I think you should add it."));
  out = consolidator_->Consolidate(kAlice, {"User lives with two cats", MemoryType::kFact, 0.5}, "s", "m");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->what, Consolidated::kAdded);
  generator_.Push(Reply(R"({"event": "UPDATE", "id": "17", "text": "x"})"));
  out = consolidator_->Consolidate(kAlice, {"User lives on the third floor", MemoryType::kFact, 0.5}, "s", "m");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->what, Consolidated::kAdded);
  EXPECT_EQ(All(kAlice).size(), 4u);
}

TEST_F(MemoryExtractionTest, OnlyAnExtractedMemoryIsDeleted) {
  const Memory dog = Save(kAlice, "User has a dog", MemoryOrigin::kAuto);
  generator_.Push(Reply(R"({"event": "DELETE", "id": "0"})"));
  auto out = consolidator_->Consolidate(kAlice, {"User no longer has a dog", MemoryType::kFact, 0.5}, "s", "m");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->what, Consolidated::kDeleted);
  EXPECT_EQ(out->memory_id, dog.id);
  EXPECT_TRUE(All(kAlice).empty());

  const Memory cat = Save(kAlice, "User has a cat");  // saved by the user
  generator_.Push(Reply(R"({"event": "DELETE", "id": "0"})"));
  out = consolidator_->Consolidate(kAlice, {"User no longer has a cat", MemoryType::kFact, 0.5}, "s", "m");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->what, Consolidated::kKept);
  EXPECT_EQ(All(kAlice).size(), 1u);
  EXPECT_EQ(All(kAlice)[0].id, cat.id);
}

TEST_F(MemoryExtractionTest, TheGeneratorsFailureIsReturnedAndNothingIsStored) {
  Save(kAlice, "User lives in Paris");
  generator_.Push(Answer{.fail_at_start = Error(ErrorCode::kUnavailable, "upstream down")});
  auto out = consolidator_->Consolidate(kAlice, {"User lives in Oslo", MemoryType::kFact, 0.5}, "s", "m");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(All(kAlice).size(), 1u);
}

TEST_F(MemoryExtractionTest, TheJobStoresNothingTwiceWhenItRunsAgain) {
  const std::string extraction =
      R"({"facts": [{"text": "User lives in Paris", "type": "fact", "importance": 0.7},
                    {"text": "User prefers green tea", "type": "preference", "importance": 0.6}]})";
  generator_.Push(Reply(extraction));
  generator_.Push(Reply(R"({"event": "ADD"})"));  // the second fact is similar to the first ("User")
  const auto request = Request("I live in Paris and I prefer green tea.");
  ManualContext first(JobFor(request));
  auto result = handler_->Run(first);
  ASSERT_TRUE(result.ok()) << result.error().internal_message();
  EXPECT_EQ(*result, R"({"readable":true,"facts":2,"added":2,"updated":0,"deleted":0,"kept":0})");
  auto all = All(kAlice);
  ASSERT_EQ(all.size(), 2u);
  for (const auto& m : all) {
    EXPECT_EQ(m.origin, MemoryOrigin::kAuto);
    EXPECT_EQ(m.source, std::optional<std::string>("auto:conversation/conv-1/message/msg-user-1"));
  }
  const auto requests = generator_.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests[0].messages.back().content, "The user said:\nI live in Paris and I prefer green tea.");
  EXPECT_EQ(requests[0].model, "fake-model");

  // The instance died before the outcome was stored: a second attempt of the same job.
  generator_.Push(Reply(extraction));
  ManualContext again(JobFor(request));
  result = handler_->Run(again);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, R"({"readable":true,"facts":2,"added":0,"updated":0,"deleted":0,"kept":2})");
  EXPECT_EQ(All(kAlice).size(), 2u);
  EXPECT_EQ(generator_.requests().size(), requests.size() + 1);  // the extraction only: no decision asked
}

TEST_F(MemoryExtractionTest, GarbageFailuresAndBadPayloads) {
  generator_.Push(Reply("Echo: I live in Paris"));
  ManualContext garbage(JobFor(Request("I live in Paris")));
  auto result = handler_->Run(garbage);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, R"({"readable":false,"facts":0,"added":0,"updated":0,"deleted":0,"kept":0})");
  EXPECT_TRUE(All(kAlice).empty());

  generator_.Push(Answer{.fail_at_start = Error(ErrorCode::kUnavailable, "upstream down")});
  ManualContext down(JobFor(Request("I live in Paris")));
  result = handler_->Run(down);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::kUnavailable);  // retried

  for (const char* payload :
       {"{", "[]", R"({"user_id": "u"})",
        R"({"user_id":"","conversation_id":"c","message_id":"m","answer_message_id":"a","text":"t","model":""})"}) {
    jobs::Job job = JobFor(Request("x"));
    job.payload = payload;
    ManualContext bad(job);
    result = handler_->Run(bad);
    ASSERT_FALSE(result.ok()) << payload;
    EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().safe_message(), "The job's payload is not a memory extraction request");
  }
  EXPECT_EQ(DecodeRequest(EncodeRequest(Request("I live in Paris"))), Request("I live in Paris"));
}

class ChatExtractionTest : public MemoryExtractionTest {
 protected:
  void SetUp() override {
    MemoryExtractionTest::SetUp();
    const auto& repos = stores_->repos();
    runner_ = std::make_unique<jobs::JobRunner>(repos.transactions, repos.jobs, clock_, bus_,
                                                jobs::RunnerOptions{.instance_id = "i1", .poll = 20ms});
    queue_ =
        std::make_unique<jobs::JobQueue>(repos.transactions, repos.jobs, clock_, random_, [this] { runner_->Wake(); });
    scheduler_ = std::make_unique<JobExtractionScheduler>(*queue_);
    runner_->Register(std::string(kExtractionJobKind), *handler_);
    chat_ = std::make_unique<chat::ChatService>(*store_, generator_, bus_, pool_, nullptr, scheduler_.get());
  }
  void TearDown() override {
    runner_->Shutdown();
    chat_.reset();
  }

  WorkerPool pool_{2, 64};
  std::unique_ptr<jobs::JobRunner> runner_;
  std::unique_ptr<jobs::JobQueue> queue_;
  std::unique_ptr<JobExtractionScheduler> scheduler_;
  std::unique_ptr<chat::ChatService> chat_;
};

TEST_F(ChatExtractionTest, ATurnThatAsksEnqueuesOneExtractionWhichTheRunnerCarriesOut) {
  generator_.Push({});  // the answer
  chat::TurnOptions o;
  o.user_id = kAlice;
  o.content = "I work at XYZ Corp";
  o.generate_title = false;
  o.extract_memories = true;
  auto turn = chat_->Send(o);
  ASSERT_TRUE(turn.ok()) << turn.error().internal_message();

  auto jobs = queue_->List({.kind = std::string(kExtractionJobKind)});
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 1u);
  const jobs::Job job = (*jobs)[0];
  EXPECT_EQ(job.owner, kAlice);
  EXPECT_EQ(job.dedupe_key, std::optional<std::string>("memory.extract:" + turn->assistant_message.id));
  const auto request = DecodeRequest(job.payload);
  ASSERT_TRUE(request);
  EXPECT_EQ(*request, (ExtractionRequest{kAlice, turn->conversation.id, turn->user_message->id,
                                         turn->assistant_message.id, "I work at XYZ Corp", "fake-model"}));
  // Scheduling the same turn again is the same job.
  scheduler_->Schedule(*request);
  EXPECT_EQ(queue_->List({.kind = std::string(kExtractionJobKind)})->size(), 1u);

  generator_.Push(Reply(R"({"facts": [{"text": "User works at XYZ Corp", "type": "fact", "importance": 0.9}]})"));
  runner_->Start();
  for (int i = 0; i < 500 && queue_->Get(job.id)->state != jobs::JobState::kSucceeded; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(queue_->Get(job.id)->state, jobs::JobState::kSucceeded);
  EXPECT_EQ(queue_->Get(job.id)->result,
            std::optional<std::string>(R"({"readable":true,"facts":1,"added":1,"updated":0,"deleted":0,"kept":0})"));
  const auto all = All(kAlice);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].content, "User works at XYZ Corp");
  EXPECT_EQ(all[0].source, "auto:conversation/" + turn->conversation.id + "/message/" + turn->user_message->id);

  // A turn that does not ask (another dialect, or autoSaveMemories off) enqueues nothing.
  generator_.Push({});
  o.extract_memories = false;
  o.conversation_id = turn->conversation.id;
  ASSERT_TRUE(chat_->Send(o).ok());
  EXPECT_EQ(queue_->List({.kind = std::string(kExtractionJobKind)})->size(), 1u);
}

}  // namespace
}  // namespace atrium::core::memory
