#pragma once
// The job aggregate: durable background jobs, claimed by instances under leases.
// Blocking; thread-safe. Isolation: kReadCommitted. Every write is one conditional
// statement, decided by the row as the statement finds it (the lease owner and state
// it expects), so concurrent claimers, heartbeats and cancels never need a
// serialisable unit; Claim takes the rows it hands out so that no two claimers get the
// same job (PostgreSQL: FOR UPDATE SKIP LOCKED, claimers skip each other's rows
// instead of waiting; SQLite: the one writer runs each claim alone).
//
// Writes that act on a running job name its lease owner: they change nothing and
// return false (or nullopt) when that owner no longer holds the lease - the lease
// expired and another instance reclaimed the job, or it was cancelled. The runner
// then stops the attempt: whatever it did must be safe to do again (handlers are
// idempotent, see job_handler.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/jobs/job.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/result.hpp"

namespace atrium::core::jobs {

struct ClaimRequest {
  std::string owner;               // the claiming instance's id
  std::vector<std::string> kinds;  // only these kinds; empty claims nothing
  int limit = 1;
  TimePoint now{};
  TimePoint lease_until{};
};

class JobRepository {
 public:
  virtual ~JobRepository() = default;

  // Stores `job` as queued, or, when a job with its dedupe key exists, returns that one
  // unchanged (created = false).
  virtual Result<EnqueueOutcome> Enqueue(persistence::UnitOfWork& uow, const NewJob& job, TimePoint now) = 0;

  // Up to `limit` queued jobs of the given kinds due at `now` (oldest run_after first),
  // now running for `owner` until `lease_until`, their attempts counted.
  virtual Result<std::vector<Job>> Claim(persistence::UnitOfWork& uow, const ClaimRequest& request) = 0;

  // The heartbeat of a running attempt: its lease now ends at `lease_until`.
  virtual Result<bool> ExtendLease(persistence::UnitOfWork& uow, const std::string& id, const std::string& owner,
                                   TimePoint lease_until, TimePoint now) = 0;

  virtual Result<bool> ReportProgress(persistence::UnitOfWork& uow, const std::string& id, const std::string& owner,
                                      const JobProgress& progress, TimePoint now) = 0;

  // The attempt succeeded: final, with the handler's result.
  virtual Result<bool> Complete(persistence::UnitOfWork& uow, const std::string& id, const std::string& owner,
                                const std::string& result, TimePoint now) = 0;

  // The attempt failed with `error`. With attempts left and `retry_at` given, the job
  // is queued again, due at `retry_at`; otherwise it is failed for good. The new state,
  // or nullopt when `owner` held no lease.
  virtual Result<std::optional<JobState>> Fail(persistence::UnitOfWork& uow, const std::string& id,
                                               const std::string& owner, const std::string& error,
                                               std::optional<TimePoint> retry_at, TimePoint now) = 0;

  // Gives a running job back without counting the attempt (its instance is shutting
  // down before the handler finished): queued, due at once.
  virtual Result<bool> Release(persistence::UnitOfWork& uow, const std::string& id, const std::string& owner,
                               TimePoint now) = 0;

  // Cancels a queued or running job (a running attempt learns it at its next
  // heartbeat). False when the job is unknown or already final.
  virtual Result<bool> Cancel(persistence::UnitOfWork& uow, const std::string& id, TimePoint now) = 0;

  // Running jobs whose lease ended before `now` (their instance died): queued again,
  // due at once, when attempts are left, else failed ("lease expired"). How many.
  virtual Result<std::int64_t> ReclaimExpired(persistence::UnitOfWork& uow, TimePoint now) = 0;

  virtual Result<std::optional<Job>> Get(const std::string& id) = 0;
  // Matching jobs, newest first, at most filter.limit.
  virtual Result<std::vector<Job>> List(const JobFilter& filter) = 0;
};

}  // namespace atrium::core::jobs
