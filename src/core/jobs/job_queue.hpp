#pragma once
// The job queue's front: enqueue, read, list and cancel durable jobs. Blocking (one
// unit of work per call); call from a worker thread. Thread-safe. The JobRunner of
// each instance runs what is enqueued here (or on any instance sharing the database).

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/jobs/job.hpp"
#include "core/random.hpp"
#include "core/result.hpp"

namespace atrium::core::persistence {
class Transactions;
}

namespace atrium::core::jobs {

class JobRepository;

struct EnqueueOptions {
  std::string owner;                      // a user id, or empty
  std::optional<std::string> dedupe_key;  // see NewJob::dedupe_key
  int max_attempts = 3;
  std::chrono::milliseconds delay{0};  // due this long after now
};

class JobQueue {
 public:
  // `on_enqueued` is called after a job was stored (the local runner's Wake), so it
  // need not wait for its next poll; may be empty.
  JobQueue(persistence::Transactions& transactions, JobRepository& jobs, const Clock& clock, Random& random,
           std::function<void()> on_enqueued = {});

  // Stores a queued job (or returns the dedupe key's existing one). kInvalidArgument
  // for an empty kind or max_attempts outside 1..100.
  Result<EnqueueOutcome> Enqueue(const std::string& kind, std::string payload, const EnqueueOptions& options = {});
  // kNotFound when there is no such job.
  Result<Job> Get(const std::string& id);
  Result<std::vector<Job>> List(const JobFilter& filter);
  // True when it was queued or running (a running attempt stops at its next heartbeat).
  Result<bool> Cancel(const std::string& id);

 private:
  persistence::Transactions& transactions_;
  JobRepository& jobs_;
  const Clock& clock_;
  Random& random_;
  std::function<void()> on_enqueued_;
};

}  // namespace atrium::core::jobs
