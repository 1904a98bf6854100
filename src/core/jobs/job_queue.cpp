#include "core/jobs/job_queue.hpp"

#include "core/jobs/job_repository.hpp"
#include "core/persistence/unit_of_work.hpp"

namespace atrium::core::jobs {

using persistence::Isolation;
using persistence::UnitOfWork;

JobQueue::JobQueue(persistence::Transactions& transactions, JobRepository& jobs, const Clock& clock, Random& random,
                   std::function<void()> on_enqueued)
    : transactions_(transactions), jobs_(jobs), clock_(clock), random_(random), on_enqueued_(std::move(on_enqueued)) {}

Result<EnqueueOutcome> JobQueue::Enqueue(const std::string& kind, std::string payload, const EnqueueOptions& options) {
  if (kind.empty()) return Error(ErrorCode::kInvalidArgument, "A job needs a kind");
  if (options.max_attempts < 1 || options.max_attempts > 100) {
    return Error(ErrorCode::kInvalidArgument, "max_attempts must be between 1 and 100");
  }
  const TimePoint now = clock_.Now();
  NewJob job{NewUuid(random_), kind, std::move(payload), options.owner, options.dedupe_key, options.max_attempts,
             now + options.delay};
  std::optional<EnqueueOutcome> outcome;
  auto stored = transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
    auto r = jobs_.Enqueue(uow, job, now);
    if (!r) return r.error();
    outcome = std::move(*r);
    return Ok{};
  });
  if (!stored) return stored.error();
  if (outcome->created && on_enqueued_) on_enqueued_();
  return std::move(*outcome);
}

Result<Job> JobQueue::Get(const std::string& id) {
  auto found = jobs_.Get(id);
  if (!found) return found.error();
  if (!found->has_value()) return Error(ErrorCode::kNotFound, "Job not found");
  return std::move(**found);
}

Result<std::vector<Job>> JobQueue::List(const JobFilter& filter) { return jobs_.List(filter); }

Result<bool> JobQueue::Cancel(const std::string& id) {
  bool cancelled = false;
  auto done = transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
    auto r = jobs_.Cancel(uow, id, clock_.Now());
    if (!r) return r.error();
    cancelled = *r;
    return Ok{};
  });
  if (!done) return done.error();
  return cancelled;
}

}  // namespace atrium::core::jobs
