// The job queue and the instance registry on every driver: enqueue with a dedupe key,
// exclusive claims (also from many threads at once), leases that expire and are
// reclaimed, retries with a due time, progress, cancel, release and listing.

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "core/instances/instance_repository.hpp"
#include "storage/contract/jobs_contract_fixture.hpp"

namespace atrium::storage::contract {
namespace {

using core::jobs::ClaimRequest;
using core::jobs::Job;
using core::jobs::JobState;
using core::jobs::NewJob;
using core::jobs::TimePoint;
using core::persistence::UnitOfWork;

TEST_P(JobsContract, AnEnqueuedJobRoundTrips) {
  const Job stored = Enqueue("j1", "chat.title", 5, "key-1", 4, "u1");
  EXPECT_EQ(stored.id, "j1");
  EXPECT_EQ(stored.kind, "chat.title");
  EXPECT_EQ(stored.payload, "payload-j1");
  EXPECT_EQ(stored.owner, "u1");
  EXPECT_EQ(stored.dedupe_key, std::optional<std::string>("key-1"));
  EXPECT_EQ(stored.state, JobState::kQueued);
  EXPECT_EQ(stored.attempts, 0);
  EXPECT_EQ(stored.max_attempts, 4);
  EXPECT_EQ(stored.run_after, T(5));
  EXPECT_EQ(stored.created_at, T(0));
  EXPECT_FALSE(stored.lease_owner.has_value());
  EXPECT_FALSE(stored.started_at.has_value());
  EXPECT_EQ(Get("j1"), stored);
  auto missing = repos().jobs.Get("nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(JobsContract, ADedupeKeyReturnsTheExistingJob) {
  Enqueue("j1", "k", 0, "same");
  core::jobs::EnqueueOutcome again;
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                auto e = repos().jobs.Enqueue(uow, NewJob{"j2", "k", "other", "", "same", 3, T(0)}, T(1));
                if (!e) return e.error();
                again = *e;
                return core::Ok{};
              }).ok());
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.job.id, "j1");
  EXPECT_EQ(again.job.payload, "payload-j1");
  // Jobs without a key never collide.
  Enqueue("j3");
  Enqueue("j4");
  auto all = repos().jobs.List({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
}

TEST_P(JobsContract, AClaimTakesDueJobsOfItsKindsOnceWithALease) {
  Enqueue("a", "k", 0);
  Enqueue("b", "k", 10);  // not due before T(10)
  Enqueue("c", "other", 0);
  Enqueue("d", "k", -5);  // due first
  auto claimed = Claim("i1", 5, 1);
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].id, "d");
  EXPECT_EQ(claimed[1].id, "a");
  for (const auto& j : claimed) {
    EXPECT_EQ(j.state, JobState::kRunning);
    EXPECT_EQ(j.attempts, 1);
    EXPECT_EQ(j.lease_owner, std::optional<std::string>("i1"));
    EXPECT_EQ(j.lease_expires_at, std::optional<TimePoint>(T(31)));
    EXPECT_EQ(j.started_at, std::optional<TimePoint>(T(1)));
  }
  EXPECT_TRUE(Claim("i2", 5, 1).empty());
  auto later = Claim("i2", 5, 10, {"k", "other"});
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].id, "c");
  EXPECT_EQ(later[1].id, "b");
  EXPECT_TRUE(Claim("i2", 5, 100, {}).empty());
}

TEST_P(JobsContract, ConcurrentClaimersNeverGetTheSameJob) {
  constexpr int kJobs = 60;
  for (int i = 0; i < kJobs; ++i) Enqueue("j" + std::to_string(i));
  std::mutex mu;
  std::map<std::string, int> claims;
  std::atomic<int> failures{0};
  std::atomic<int> ready{0};
  constexpr int kThreads = 6;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      for (;;) {
        std::vector<Job> got;
        auto r = Run([&](UnitOfWork& uow) -> core::Result<void> {
          auto c = repos().jobs.Claim(uow, ClaimRequest{"i" + std::to_string(t), {"k"}, 1 + t % 3, T(0), T(30)});
          if (!c) return c.error();
          got = std::move(*c);
          return core::Ok{};
        });
        if (!r) {
          failures.fetch_add(1);
          return;
        }
        if (got.empty()) return;
        std::lock_guard lock(mu);
        for (const auto& j : got) ++claims[j.id];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(claims.size(), static_cast<std::size_t>(kJobs));
  for (const auto& [id, n] : claims) EXPECT_EQ(n, 1) << id;
}

TEST_P(JobsContract, AnExpiredLeaseIsReclaimedAndTheOldOwnerLosesIt) {
  Enqueue("j1");
  ASSERT_EQ(Claim("dead", 1, 0, {"k"}, 10).size(), 1u);
  // Not yet expired: nothing to reclaim.
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return repos().jobs.ReclaimExpired(uow, T(9)); }), 0);
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return repos().jobs.ReclaimExpired(uow, T(11)); }), 1);
  Job j = Get("j1");
  EXPECT_EQ(j.state, JobState::kQueued);
  EXPECT_FALSE(j.lease_owner.has_value());
  EXPECT_EQ(j.error, std::optional<std::string>("lease expired"));
  auto again = Claim("alive", 1, 11);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
  // The dead instance's late writes change nothing.
  EXPECT_FALSE(Write([&](UnitOfWork& uow) { return repos().jobs.Complete(uow, "j1", "dead", "late", T(12)); }));
  EXPECT_FALSE(Write([&](UnitOfWork& uow) { return repos().jobs.ExtendLease(uow, "j1", "dead", T(50), T(12)); }));
  EXPECT_TRUE(Write([&](UnitOfWork& uow) { return repos().jobs.ExtendLease(uow, "j1", "alive", T(90), T(12)); }));
  EXPECT_EQ(Get("j1").lease_expires_at, std::optional<TimePoint>(T(90)));
  EXPECT_TRUE(Write([&](UnitOfWork& uow) { return repos().jobs.Complete(uow, "j1", "alive", "done!", T(13)); }));
  j = Get("j1");
  EXPECT_EQ(j.state, JobState::kSucceeded);
  EXPECT_EQ(j.result, std::optional<std::string>("done!"));
  EXPECT_FALSE(j.error.has_value());
  EXPECT_EQ(j.finished_at, std::optional<TimePoint>(T(13)));
  EXPECT_FALSE(j.lease_owner.has_value());
}

TEST_P(JobsContract, AnExpiredLeaseWithNoAttemptsLeftFailsTheJob) {
  Enqueue("j1", "k", 0, std::nullopt, 1);
  ASSERT_EQ(Claim("dead", 1, 0, {"k"}, 10).size(), 1u);
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return repos().jobs.ReclaimExpired(uow, T(11)); }), 1);
  const Job j = Get("j1");
  EXPECT_EQ(j.state, JobState::kFailed);
  EXPECT_EQ(j.finished_at, std::optional<TimePoint>(T(11)));
  EXPECT_TRUE(Claim("alive", 1, 20).empty());
}

TEST_P(JobsContract, AFailedAttemptIsRetriedWhenDueUntilAttemptsRunOut) {
  Enqueue("j1", "k", 0, std::nullopt, 2);
  ASSERT_EQ(Claim("i1", 1, 0).size(), 1u);
  auto state = Write([&](UnitOfWork& uow) { return repos().jobs.Fail(uow, "j1", "i1", "upstream down", T(5), T(1)); });
  EXPECT_EQ(state, std::optional<JobState>(JobState::kQueued));
  Job j = Get("j1");
  EXPECT_EQ(j.run_after, T(5));
  EXPECT_EQ(j.error, std::optional<std::string>("upstream down"));
  EXPECT_TRUE(Claim("i1", 1, 4).empty());  // backing off
  ASSERT_EQ(Claim("i2", 1, 5).size(), 1u);
  state = Write([&](UnitOfWork& uow) { return repos().jobs.Fail(uow, "j1", "i2", "still down", T(9), T(6)); });
  EXPECT_EQ(state, std::optional<JobState>(JobState::kFailed));
  j = Get("j1");
  EXPECT_EQ(j.attempts, 2);
  EXPECT_EQ(j.error, std::optional<std::string>("still down"));
  EXPECT_EQ(j.finished_at, std::optional<TimePoint>(T(6)));
  // Not the lease owner: nothing.
  state = Write([&](UnitOfWork& uow) { return repos().jobs.Fail(uow, "j1", "i2", "x", T(9), T(7)); });
  EXPECT_FALSE(state.has_value());
  // A permanent failure (no retry time) ends the job at its first attempt.
  Enqueue("j2");
  ASSERT_EQ(Claim("i1", 1, 10).size(), 1u);
  state = Write([&](UnitOfWork& uow) { return repos().jobs.Fail(uow, "j2", "i1", "bad payload", std::nullopt, T(11)); });
  EXPECT_EQ(state, std::optional<JobState>(JobState::kFailed));
}

TEST_P(JobsContract, ProgressRoundTripsForTheLeaseOwnerOnly) {
  Enqueue("j1");
  ASSERT_EQ(Claim("i1", 1, 0).size(), 1u);
  const core::jobs::JobProgress p{3, 12, "Processing lecture 3 of 12"};
  EXPECT_TRUE(Write([&](UnitOfWork& uow) { return repos().jobs.ReportProgress(uow, "j1", "i1", p, T(2)); }));
  EXPECT_FALSE(Write([&](UnitOfWork& uow) {
    return repos().jobs.ReportProgress(uow, "j1", "i2", core::jobs::JobProgress{9, 9, "no"}, T(3));
  }));
  const Job j = Get("j1");
  EXPECT_EQ(j.progress, p);
  EXPECT_DOUBLE_EQ(j.progress.Fraction(), 0.25);
  EXPECT_EQ(j.updated_at, T(2));
}

TEST_P(JobsContract, CancelStopsQueuedAndRunningJobsOnly) {
  Enqueue("queued");
  Enqueue("running");
  Enqueue("done", "other");
  ASSERT_EQ(Claim("i1", 1, 0, {"other"}).size(), 1u);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return repos().jobs.Complete(uow, "done", "i1", "", T(1)); }));
  ASSERT_EQ(Claim("i1", 2, 0).size(), 2u);  // claims "queued" too; re-queue it below by releasing
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return repos().jobs.Release(uow, "queued", "i1", T(1)); }));
  const Job released = Get("queued");
  EXPECT_EQ(released.state, JobState::kQueued);
  EXPECT_EQ(released.attempts, 0);  // a released attempt is not counted
  EXPECT_TRUE(Write([&](UnitOfWork& uow) { return repos().jobs.Cancel(uow, "queued", T(2)); }));
  EXPECT_TRUE(Write([&](UnitOfWork& uow) { return repos().jobs.Cancel(uow, "running", T(2)); }));
  EXPECT_FALSE(Write([&](UnitOfWork& uow) { return repos().jobs.Cancel(uow, "done", T(2)); }));
  EXPECT_FALSE(Write([&](UnitOfWork& uow) { return repos().jobs.Cancel(uow, "nope", T(2)); }));
  EXPECT_EQ(Get("queued").state, JobState::kCancelled);
  EXPECT_EQ(Get("running").state, JobState::kCancelled);
  EXPECT_EQ(Get("done").state, JobState::kSucceeded);
  // The running attempt learns it at its next heartbeat.
  EXPECT_FALSE(Write([&](UnitOfWork& uow) { return repos().jobs.ExtendLease(uow, "running", "i1", T(60), T(3)); }));
  EXPECT_TRUE(Claim("i1", 5, 10).empty());
}

TEST_P(JobsContract, ListFiltersByOwnerKindAndStateNewestFirst) {
  Enqueue("a", "k", 0, std::nullopt, 3, "u1");
  Enqueue("b", "other", 0, std::nullopt, 3, "u1");
  Enqueue("c", "k", 0, std::nullopt, 3, "u2");
  Enqueue("d", "k", 0, std::nullopt, 3, "u1");
  auto ids = [](const core::Result<std::vector<Job>>& r) {
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& j : *r) out.push_back(j.id);
    }
    return out;
  };
  core::jobs::JobFilter f;
  f.owner = "u1";
  EXPECT_EQ(ids(repos().jobs.List(f)), (std::vector<std::string>{"d", "b", "a"}));
  f.kind = "k";
  EXPECT_EQ(ids(repos().jobs.List(f)), (std::vector<std::string>{"d", "a"}));
  f.limit = 1;
  EXPECT_EQ(ids(repos().jobs.List(f)), (std::vector<std::string>{"d"}));
  ASSERT_EQ(Claim("i1", 1, 0, {"other"}).size(), 1u);
  core::jobs::JobFilter running;
  running.state = JobState::kRunning;
  EXPECT_EQ(ids(repos().jobs.List(running)), (std::vector<std::string>{"b"}));
}

TEST_P(JobsContract, InstancesRegisterBeatAndArePrunedWhenDead) {
  using core::instances::Instance;
  const Instance a{"ia", "host-1", 101, false, T(0), T(0)};
  const Instance b{"ib", "host-2", 202, true, T(1), T(1)};
  ASSERT_TRUE(Run([&](UnitOfWork& uow) { return repos().instances.Register(uow, a); }).ok());
  ASSERT_TRUE(Run([&](UnitOfWork& uow) { return repos().instances.Register(uow, b); }).ok());
  auto all = repos().instances.List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], a);
  EXPECT_EQ((*all)[1], b);
  EXPECT_TRUE(Write([&](UnitOfWork& uow) { return repos().instances.Heartbeat(uow, "ib", T(20)); }));
  EXPECT_FALSE(Write([&](UnitOfWork& uow) { return repos().instances.Heartbeat(uow, "nope", T(20)); }));
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return repos().instances.PruneDead(uow, T(10)); }), 1);
  all = repos().instances.List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].id, "ib");
  EXPECT_EQ((*all)[0].heartbeat_at, T(20));
  ASSERT_TRUE(Run([&](UnitOfWork& uow) { return repos().instances.Deregister(uow, "ib"); }).ok());
  all = repos().instances.List();
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

}  // namespace
}  // namespace atrium::storage::contract
