#pragma once
// Runs the durable jobs of the kinds registered with it, on its own threads: one
// dispatcher that claims due jobs for this instance (never more than there are free
// workers), extends the leases of running attempts (every lease/3), and periodically
// (every lease/2) reclaims jobs whose lease expired - their instance died - so that a
// job in flight on a killed instance finishes here; and `workers` threads running the
// handlers. A failed attempt is retried after an exponential backoff
// (retry_base * 2^(attempt-1), at most retry_max) while attempts are left. Every
// change is published as a JobUpdated on the bus.
//
// Shutdown stops claiming, lets running attempts finish for up to `drain`, then gives
// the rest back (Release: queued again, due at once, the attempt not counted) so that
// another instance takes them without waiting for the lease to expire; their handlers
// see stopping() and must return soon, since Shutdown then waits for them.
//
// Thread-safety: Register before Start, from one thread; Wake and Shutdown from any.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/jobs/job.hpp"
#include "core/result.hpp"
#include "core/worker_pool.hpp"

namespace atrium::core::persistence {
class Transactions;
}
namespace atrium::core::events {
class EventBus;
}

namespace atrium::core::jobs {

class JobHandler;
class JobRepository;

struct RunnerOptions {
  std::string instance_id;  // the lease owner of every attempt run here
  int workers = 2;
  std::chrono::milliseconds lease{30000};
  std::chrono::milliseconds poll{1000};  // how often to look for jobs enqueued elsewhere
  std::chrono::milliseconds retry_base{1000};
  std::chrono::milliseconds retry_max{300000};
  std::chrono::milliseconds drain{10000};
};

class JobRunner {
 public:
  JobRunner(persistence::Transactions& transactions, JobRepository& jobs, const Clock& clock, events::EventBus& bus,
            RunnerOptions options);
  // Shutdown.
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // `handler` runs every job of `kind`; it must outlive this runner.
  void Register(std::string kind, JobHandler& handler);
  // Reclaims expired leases once, then starts the threads.
  void Start();
  // A job may be due now (one was just enqueued): look without waiting for the poll.
  void Wake();
  // See the class comment: Stop, then waits for every handler to return. Idempotent.
  void Shutdown();
  // Stops claiming, drains, gives back what is still running, and returns without
  // waiting for those handlers (Shutdown waits), so that the caller can first cancel
  // what they block on (upstream requests). Idempotent.
  void Stop();

  // The backoff before attempt `attempts` + 1 (attempts >= 1).
  std::chrono::milliseconds Backoff(int attempts) const;

  struct Attempt;

 private:
  void Dispatch();
  void Heartbeat();
  void Claim(int free);
  void Execute(const std::shared_ptr<Attempt>& attempt);
  void Finish(const std::shared_ptr<Attempt>& attempt, const Result<std::string>& outcome);
  void ReleaseAttempt(const std::shared_ptr<Attempt>& attempt);
  void Publish(const Job& job);
  friend class RunnerContext;

  persistence::Transactions& transactions_;
  JobRepository& jobs_;
  const Clock& clock_;
  events::EventBus& bus_;
  const RunnerOptions options_;
  std::map<std::string, JobHandler*> handlers_;
  std::vector<std::string> kinds_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false;
  bool shut_down_ = false;
  bool draining_ = false;  // Shutdown began: no more claims
  bool stopping_ = false;  // the dispatcher ends
  bool woken_ = false;
  std::map<std::string, std::shared_ptr<Attempt>> running_;  // by job id
  std::unique_ptr<WorkerPool> pool_;
  std::thread dispatcher_;
};

}  // namespace atrium::core::jobs
