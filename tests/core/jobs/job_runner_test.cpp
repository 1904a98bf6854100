// The runner over a real SQLite queue: results, retries with backoff, permanent
// failures, a job whose instance died is reclaimed and rerun by an idempotent
// handler, a cancelled attempt stops, and shutdown drains or gives jobs back.
// Stored times use a fake clock (advanced to expire leases and backoffs); the
// runner's own scheduling is real time, so each test waits with a deadline.

#include "core/jobs/job_runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "core/events/in_process_event_bus.hpp"
#include "core/jobs/job_handler.hpp"
#include "core/jobs/job_queue.hpp"
#include "core/jobs/job_repository.hpp"
#include "core/jobs/job_updated.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::jobs {
namespace {

using namespace std::chrono_literals;

// A handler made of a function.
class FnHandler final : public JobHandler {
 public:
  explicit FnHandler(std::function<Result<std::string>(JobContext&)> fn) : fn_(std::move(fn)) {}
  Result<std::string> Run(JobContext& context) override {
    runs.fetch_add(1);
    return fn_(context);
  }
  std::atomic<int> runs{0};

 private:
  std::function<Result<std::string>(JobContext&)> fn_;
};

// Waits up to 10 s for `done`.
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 1000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

class JobRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 2});
    ASSERT_TRUE(db.ok()) << db.error().internal_message();
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, storage::sqlite::SqliteMigrations()).ok());
    stores_ = storage::sqlite::OpenRepositories(*db_, clock_, random_);
    queue_ = std::make_unique<JobQueue>(repos().transactions, repos().jobs, clock_, random_);
  }

  const persistence::Repositories& repos() { return stores_->repos(); }

  std::unique_ptr<JobRunner> Runner(std::string instance, RunnerOptions options = {}) {
    options.instance_id = std::move(instance);
    if (options.poll == 1000ms) options.poll = 20ms;
    return std::make_unique<JobRunner>(repos().transactions, repos().jobs, clock_, bus_, options);
  }

  Job Enqueue(const std::string& kind, const std::string& payload, EnqueueOptions options = {}) {
    auto e = queue_->Enqueue(kind, payload, options);
    EXPECT_TRUE(e.ok()) << e.error().internal_message();
    return e.ok() ? e->job : Job{};
  }

  Job Get(const std::string& id) {
    auto j = queue_->Get(id);
    EXPECT_TRUE(j.ok());
    return j.ok() ? *j : Job{};
  }

  bool Reaches(const std::string& id, JobState state) {
    return Eventually([&] { return Get(id).state == state; });
  }

  atrium::testing::TempDir dir_;
  atrium::testing::FakeClock clock_;
  atrium::testing::SeededRandom random_;
  events::InProcessEventBus bus_;
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
  std::unique_ptr<JobQueue> queue_;
};

TEST_F(JobRunnerTest, RunsAJobStoresItsResultAndPublishesEachStep) {
  FnHandler handler([](JobContext& ctx) -> Result<std::string> {
    EXPECT_TRUE(ctx.Progress({1, 2, "half way"}));
    return "echo:" + ctx.job().payload;
  });
  const Job job = Enqueue("test.echo", "hello", {.owner = "u1"});
  auto sub = bus_.Subscribe({events::topics::Job(job.id)}, {});
  auto user_sub = bus_.Subscribe({events::topics::User("u1")}, {});
  auto runner = Runner("i1");
  runner->Register("test.echo", handler);
  runner->Start();
  ASSERT_TRUE(Reaches(job.id, JobState::kSucceeded));
  const Job done = Get(job.id);
  EXPECT_EQ(done.result, std::optional<std::string>("echo:hello"));
  EXPECT_EQ(done.attempts, 1);
  EXPECT_EQ(done.progress, (JobProgress{1, 2, "half way"}));
  EXPECT_FALSE(done.lease_owner.has_value());

  std::vector<JobState> states;
  std::vector<JobProgress> progress;
  while (auto e = sub->PopFor(2s)) {
    const auto* u = e->As<JobUpdated>();
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->id, job.id);
    EXPECT_EQ(u->kind, "test.echo");
    states.push_back(u->state);
    progress.push_back(u->progress);
    if (u->state == JobState::kSucceeded) break;
  }
  EXPECT_EQ(states, (std::vector<JobState>{JobState::kRunning, JobState::kRunning, JobState::kSucceeded}));
  EXPECT_EQ(progress[1], (JobProgress{1, 2, "half way"}));
  EXPECT_NE(user_sub->PopFor(2s), nullptr);  // the owner hears it too
}

TEST_F(JobRunnerTest, AFailedAttemptIsRetriedAfterItsBackoff) {
  std::atomic<int> calls{0};
  FnHandler handler([&](JobContext&) -> Result<std::string> {
    if (calls.fetch_add(1) == 0) return Error(ErrorCode::kUnavailable, "upstream down");
    return std::string("ok");
  });
  const Job job = Enqueue("test.flaky", "", {.max_attempts = 3});
  auto runner = Runner("i1", {.retry_base = 5000ms});
  runner->Register("test.flaky", handler);
  runner->Start();
  ASSERT_TRUE(Eventually([&] { return Get(job.id).error.has_value(); }));
  Job waiting = Get(job.id);
  EXPECT_EQ(waiting.state, JobState::kQueued);
  EXPECT_EQ(waiting.error, std::optional<std::string>("upstream down"));
  EXPECT_EQ(waiting.run_after, clock_.Now() + 5000ms);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(handler.runs.load(), 1);  // backing off: the fake clock has not moved
  clock_.Advance(5s);
  runner->Wake();
  ASSERT_TRUE(Reaches(job.id, JobState::kSucceeded));
  EXPECT_EQ(Get(job.id).attempts, 2);
  EXPECT_EQ(handler.runs.load(), 2);
}

TEST_F(JobRunnerTest, BackoffDoublesUpToItsCap) {
  auto runner = Runner("i1", {.retry_base = 1000ms, .retry_max = 5000ms});
  EXPECT_EQ(runner->Backoff(1), 1000ms);
  EXPECT_EQ(runner->Backoff(2), 2000ms);
  EXPECT_EQ(runner->Backoff(3), 4000ms);
  EXPECT_EQ(runner->Backoff(4), 5000ms);
  EXPECT_EQ(runner->Backoff(40), 5000ms);
}

TEST_F(JobRunnerTest, AnInvalidPayloadFailsTheJobAtOnce) {
  FnHandler handler([](JobContext&) -> Result<std::string> {
    return Error(ErrorCode::kInvalidArgument, "The payload is not JSON");
  });
  const Job job = Enqueue("test.bad", "{", {.max_attempts = 5});
  auto runner = Runner("i1");
  runner->Register("test.bad", handler);
  runner->Start();
  ASSERT_TRUE(Reaches(job.id, JobState::kFailed));
  EXPECT_EQ(Get(job.id).attempts, 1);
  EXPECT_EQ(Get(job.id).error, std::optional<std::string>("The payload is not JSON"));
}

TEST_F(JobRunnerTest, AJobWhoseInstanceDiedIsReclaimedAndTheIdempotentHandlerRerunsSafely) {
  // The effect a job has: "applied" once per job id, however many attempts run.
  std::mutex mu;
  std::set<std::string> applied;
  int applications = 0;
  FnHandler handler([&](JobContext& ctx) -> Result<std::string> {
    std::lock_guard lock(mu);
    if (applied.insert(ctx.job().id).second) ++applications;
    return std::string("applied");
  });
  const Job job = Enqueue("test.effect", "");
  // The dead instance claimed it, applied the effect, and was killed before it stored
  // the outcome: its lease is left to expire.
  ASSERT_TRUE(repos().transactions.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& uow) -> Result<void> {
    auto c = repos().jobs.Claim(uow, {"dead", {"test.effect"}, 1, clock_.Now(), clock_.Now() + 10s});
    if (!c) return c.error();
    EXPECT_EQ(c->size(), 1u);
    return Ok{};
  }).ok());
  {
    std::lock_guard lock(mu);
    applied.insert(job.id);
    ++applications;
  }
  auto runner = Runner("alive", {.lease = 300ms});
  runner->Register("test.effect", handler);
  runner->Start();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(Get(job.id).lease_owner, std::optional<std::string>("dead"));  // not expired yet
  clock_.Advance(11s);
  ASSERT_TRUE(Reaches(job.id, JobState::kSucceeded));
  const Job done = Get(job.id);
  EXPECT_EQ(done.attempts, 2);
  EXPECT_EQ(done.result, std::optional<std::string>("applied"));
  EXPECT_EQ(handler.runs.load(), 1);
  std::lock_guard lock(mu);
  EXPECT_EQ(applications, 1);
}

TEST_F(JobRunnerTest, ACancelledRunningJobStopsAtItsNextHeartbeat) {
  std::atomic<bool> started{false};
  std::atomic<bool> saw_stop{false};
  FnHandler handler([&](JobContext& ctx) -> Result<std::string> {
    started.store(true);
    while (!ctx.stopping()) std::this_thread::sleep_for(5ms);
    saw_stop.store(true);
    EXPECT_FALSE(ctx.Progress({1, 1, "too late"}));
    return std::string("ignored");
  });
  const Job job = Enqueue("test.long", "");
  auto runner = Runner("i1", {.lease = 300ms});
  runner->Register("test.long", handler);
  runner->Start();
  ASSERT_TRUE(Eventually([&] { return started.load(); }));
  auto cancelled = queue_->Cancel(job.id);
  ASSERT_TRUE(cancelled.ok() && *cancelled);
  ASSERT_TRUE(Eventually([&] { return saw_stop.load(); }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(Get(job.id).state, JobState::kCancelled);
  EXPECT_FALSE(Get(job.id).result.has_value());
}

TEST_F(JobRunnerTest, ShutdownGivesBackAJobThatOutlastsTheDrain) {
  std::atomic<bool> started{false};
  FnHandler handler([&](JobContext& ctx) -> Result<std::string> {
    started.store(true);
    while (!ctx.stopping()) std::this_thread::sleep_for(5ms);
    return std::string("ignored");
  });
  const Job job = Enqueue("test.long", "");
  auto runner = Runner("i1", {.drain = 100ms});
  runner->Register("test.long", handler);
  runner->Start();
  ASSERT_TRUE(Eventually([&] { return started.load(); }));
  runner->Shutdown();
  const Job back = Get(job.id);
  EXPECT_EQ(back.state, JobState::kQueued);
  EXPECT_EQ(back.attempts, 0);
  EXPECT_FALSE(back.lease_owner.has_value());
  EXPECT_EQ(back.run_after, clock_.Now());
}

TEST_F(JobRunnerTest, ShutdownLetsARunningJobFinishWithinTheDrain) {
  std::atomic<bool> started{false};
  FnHandler handler([&](JobContext&) -> Result<std::string> {
    started.store(true);
    std::this_thread::sleep_for(200ms);
    return std::string("finished");
  });
  const Job queued_after = Enqueue("test.other", "");  // a kind this runner does not run
  const Job job = Enqueue("test.slow", "");
  auto runner = Runner("i1", {.drain = 5000ms});
  runner->Register("test.slow", handler);
  runner->Start();
  ASSERT_TRUE(Eventually([&] { return started.load(); }));
  runner->Shutdown();
  EXPECT_EQ(Get(job.id).state, JobState::kSucceeded);
  EXPECT_EQ(Get(queued_after.id).state, JobState::kQueued);
}

TEST_F(JobRunnerTest, AnEnqueueWithTheSameDedupeKeyRunsOnce) {
  FnHandler handler([](JobContext&) -> Result<std::string> { return std::string("once"); });
  const Job first = Enqueue("test.echo", "a", {.dedupe_key = "same"});
  const Job second = Enqueue("test.echo", "b", {.dedupe_key = "same"});
  EXPECT_EQ(first.id, second.id);
  auto runner = Runner("i1");
  runner->Register("test.echo", handler);
  runner->Start();
  ASSERT_TRUE(Reaches(first.id, JobState::kSucceeded));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(handler.runs.load(), 1);
  auto bad = queue_->Enqueue("", "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().safe_message(), "A job needs a kind");
}

}  // namespace
}  // namespace atrium::core::jobs
