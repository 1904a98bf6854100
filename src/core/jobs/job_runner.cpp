#include "core/jobs/job_runner.hpp"

#include <algorithm>
#include <atomic>
#include <exception>

#include "core/events/event_bus.hpp"
#include "core/jobs/job_handler.hpp"
#include "core/jobs/job_repository.hpp"
#include "core/jobs/job_updated.hpp"
#include "core/persistence/unit_of_work.hpp"

namespace atrium::core::jobs {

using persistence::Isolation;
using persistence::UnitOfWork;
using std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

struct JobRunner::Attempt {
  Job job;
  JobHandler* handler = nullptr;
  // Its outcome will not be stored: the lease was lost, or Shutdown gave the job back.
  std::atomic<bool> lost{false};
  std::atomic<bool> released{false};
};

class RunnerContext final : public JobContext {
 public:
  RunnerContext(JobRunner& runner, JobRunner::Attempt& attempt) : runner_(runner), attempt_(attempt) {}

  const Job& job() const override { return attempt_.job; }

  bool Progress(const JobProgress& progress) override {
    if (attempt_.lost.load()) return false;
    bool held = true;
    auto stored = runner_.transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
      auto r = runner_.jobs_.ReportProgress(uow, attempt_.job.id, runner_.options_.instance_id, progress,
                                            runner_.clock_.Now());
      if (!r) return r.error();
      held = *r;
      return Ok{};
    });
    // Progress is best effort: a database that failed once does not stop the work.
    if (!stored) return !attempt_.lost.load();
    if (!held) {
      attempt_.lost.store(true);
      return false;
    }
    attempt_.job.progress = progress;  // only this attempt's thread touches it
    runner_.Publish(attempt_.job);
    return true;
  }

  bool stopping() const override { return attempt_.lost.load(); }

 private:
  JobRunner& runner_;
  JobRunner::Attempt& attempt_;
};

JobRunner::JobRunner(persistence::Transactions& transactions, JobRepository& jobs, const Clock& clock,
                     events::EventBus& bus, RunnerOptions options)
    : transactions_(transactions), jobs_(jobs), clock_(clock), bus_(bus), options_(std::move(options)) {}

JobRunner::~JobRunner() { Shutdown(); }

void JobRunner::Register(std::string kind, JobHandler& handler) {
  if (!handlers_.contains(kind)) kinds_.push_back(kind);
  handlers_[std::move(kind)] = &handler;
}

milliseconds JobRunner::Backoff(int attempts) const {
  milliseconds delay = options_.retry_base;
  for (int i = 1; i < attempts && delay < options_.retry_max; ++i) delay *= 2;
  return std::min(delay, options_.retry_max);
}

void JobRunner::Start() {
  {
    std::lock_guard lock(mu_);
    if (started_) return;
    started_ = true;
  }
  // Jobs of instances that died while this one was down are due again before it claims.
  (void)transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
    auto r = jobs_.ReclaimExpired(uow, clock_.Now());
    if (!r) return r.error();
    return Ok{};
  });
  const auto workers = static_cast<std::size_t>(std::max(1, options_.workers));
  pool_ = std::make_unique<WorkerPool>(workers, workers);
  dispatcher_ = std::thread([this] { Dispatch(); });
}

void JobRunner::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void JobRunner::Publish(const Job& job) {
  std::vector<std::string> topics{events::topics::Job(job.id)};
  if (!job.owner.empty()) topics.push_back(events::topics::User(job.owner));
  // A bus that cannot deliver does not change the job: readers resynchronise from Get.
  (void)bus_.Publish({std::move(topics), JobUpdated{job.id, job.kind, job.owner, job.state, job.attempts,
                                                    job.progress, job.error}});
}

void JobRunner::Dispatch() {
  const milliseconds beat_every = std::max(std::chrono::duration_cast<milliseconds>(options_.lease / 3), milliseconds(20));
  const milliseconds reclaim_every =
      std::max(std::chrono::duration_cast<milliseconds>(options_.lease / 2), milliseconds(50));
  // Scheduling uses real time (these are real threads); stored times use the clock.
  SteadyTime next_beat = std::chrono::steady_clock::now() + beat_every;
  SteadyTime next_reclaim = std::chrono::steady_clock::now() + reclaim_every;
  for (;;) {
    std::size_t free = 0;
    bool claiming = true;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      claiming = !draining_;
      const auto workers = static_cast<std::size_t>(std::max(1, options_.workers));
      free = running_.size() < workers ? workers - running_.size() : 0;
    }
    SteadyTime now = std::chrono::steady_clock::now();
    if (now >= next_beat) {
      Heartbeat();
      next_beat = now + beat_every;
    }
    if (now >= next_reclaim) {
      (void)transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
        auto r = jobs_.ReclaimExpired(uow, clock_.Now());
        if (!r) return r.error();
        return Ok{};
      });
      next_reclaim = now + reclaim_every;
    }
    if (claiming && free > 0 && !kinds_.empty()) Claim(static_cast<int>(free));
    std::unique_lock lock(mu_);
    const SteadyTime until = std::min({next_beat, next_reclaim, now + options_.poll});
    cv_.wait_until(lock, until, [&] { return stopping_ || woken_; });
    woken_ = false;
  }
}

void JobRunner::Heartbeat() {
  std::vector<std::shared_ptr<Attempt>> attempts;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, attempt] : running_) attempts.push_back(attempt);
  }
  for (const auto& attempt : attempts) {
    if (attempt->lost.load()) continue;
    bool held = true;
    auto beat = transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
      const TimePoint now = clock_.Now();
      auto r = jobs_.ExtendLease(uow, attempt->job.id, options_.instance_id, now + options_.lease, now);
      if (!r) return r.error();
      held = *r;
      return Ok{};
    });
    // A failed heartbeat is tried again at the next beat; the lease outlives two.
    if (beat && !held) attempt->lost.store(true);
  }
}

void JobRunner::Claim(int free) {
  std::vector<Job> claimed;
  auto taken = transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
    const TimePoint now = clock_.Now();
    auto r = jobs_.Claim(uow, ClaimRequest{options_.instance_id, kinds_, free, now, now + options_.lease});
    if (!r) return r.error();
    claimed = std::move(*r);
    return Ok{};
  });
  if (!taken) return;
  for (auto& job : claimed) {
    auto attempt = std::make_shared<Attempt>();
    attempt->handler = handlers_.at(job.kind);
    attempt->job = std::move(job);
    {
      std::lock_guard lock(mu_);
      running_[attempt->job.id] = attempt;
    }
    Publish(attempt->job);
    if (!pool_->TrySubmit([this, attempt] { Execute(attempt); })) {
      // Cannot happen while free slots were counted; give the job back rather than hold it.
      ReleaseAttempt(attempt);
    }
  }
}

void JobRunner::Execute(const std::shared_ptr<Attempt>& attempt) {
  RunnerContext context(*this, *attempt);
  Result<std::string> outcome = Error(ErrorCode::kInternal, "The job's handler failed");
  try {
    outcome = attempt->handler->Run(context);
  } catch (const std::exception& e) {
    outcome = Error(ErrorCode::kInternal, "The job's handler failed", e.what());
  }
  Finish(attempt, outcome);
}

void JobRunner::Finish(const std::shared_ptr<Attempt>& attempt, const Result<std::string>& outcome) {
  if (!attempt->released.load()) {
    Job& job = attempt->job;
    const TimePoint now = clock_.Now();
    if (outcome) {
      bool held = false;
      auto done = transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
        auto r = jobs_.Complete(uow, job.id, options_.instance_id, *outcome, now);
        if (!r) return r.error();
        held = *r;
        return Ok{};
      });
      if (done && held) {
        job.state = JobState::kSucceeded;
        job.result = *outcome;
        job.error.reset();
        Publish(job);
      }
    } else {
      const ErrorCode code = outcome.error().code();
      const bool permanent = code == ErrorCode::kInvalidArgument || code == ErrorCode::kNotFound;
      const std::optional<TimePoint> retry_at =
          permanent ? std::nullopt : std::optional<TimePoint>(now + Backoff(job.attempts));
      std::optional<JobState> state;
      auto failed = transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
        auto r = jobs_.Fail(uow, job.id, options_.instance_id, outcome.error().safe_message(), retry_at, now);
        if (!r) return r.error();
        state = *r;
        return Ok{};
      });
      if (failed && state) {
        job.state = *state;
        job.error = outcome.error().safe_message();
        Publish(job);
      }
    }
    // A storage failure here leaves the lease to expire: the job is reclaimed and rerun.
  }
  {
    std::lock_guard lock(mu_);
    running_.erase(attempt->job.id);
    woken_ = true;  // a worker is free
  }
  cv_.notify_all();
}

void JobRunner::ReleaseAttempt(const std::shared_ptr<Attempt>& attempt) {
  attempt->released.store(true);
  attempt->lost.store(true);
  bool held = false;
  auto released = transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
    auto r = jobs_.Release(uow, attempt->job.id, options_.instance_id, clock_.Now());
    if (!r) return r.error();
    held = *r;
    return Ok{};
  });
  if (released && held) {
    Job job = attempt->job;
    job.state = JobState::kQueued;
    job.attempts = std::max(0, job.attempts - 1);
    Publish(job);
  }
  std::lock_guard lock(mu_);
  running_.erase(attempt->job.id);
}

void JobRunner::Shutdown() {
  Stop();
  if (pool_) pool_->Shutdown();  // waits for the released handlers, which see stopping()
}

void JobRunner::Stop() {
  {
    std::unique_lock lock(mu_);
    if (!started_ || shut_down_) return;
    shut_down_ = true;
    draining_ = true;  // no more claims; the dispatcher keeps the leases alive meanwhile
    cv_.wait_for(lock, options_.drain, [&] { return running_.empty(); });
    stopping_ = true;
  }
  cv_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  std::vector<std::shared_ptr<Attempt>> left;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, attempt] : running_) left.push_back(attempt);
  }
  for (const auto& attempt : left) ReleaseAttempt(attempt);
}

}  // namespace atrium::core::jobs
