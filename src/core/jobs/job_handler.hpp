#pragma once
// What runs a job of one kind. Registered with the JobRunner (app/ wires the kinds).
//
// Idempotency, the contract every handler must keep: one job may be attempted more
// than once - an attempt failed and is retried; the instance running it died (kill -9,
// power loss) after doing part or all of the work but before its outcome was stored,
// and another instance runs it again once the lease expired; or a slow attempt lost
// its lease while it ran. So an attempt must be safe to repeat: its effects are
// conditional (update a row only from the value the job expects to replace) or keyed
// (insert by a key derived from the job), never blind appends. A handler may also see
// a previous attempt's effects already in place, and must then succeed.

#include <string>

#include "core/jobs/job.hpp"
#include "core/result.hpp"

namespace atrium::core::jobs {

// One attempt's view of the runner. Thread-safe; valid while JobHandler::Run runs.
class JobContext {
 public:
  virtual ~JobContext() = default;
  // The job as claimed (attempts counts this attempt).
  virtual const Job& job() const = 0;
  // Stores and publishes progress. False when the attempt should stop (see stopping).
  virtual bool Progress(const JobProgress& progress) = 0;
  // True once this attempt's outcome will not be stored: its lease was lost (expired
  // and reclaimed, or the job was cancelled) or the instance is shutting down and gave
  // the job back. A long handler checks it between steps and returns early.
  virtual bool stopping() const = 0;
};

class JobHandler {
 public:
  virtual ~JobHandler() = default;
  // Runs one attempt, on a runner thread (blocking work is fine). Returns the result
  // to store (the handler's own encoding, may be empty), or an error: kInvalidArgument
  // and kNotFound fail the job for good (the payload is wrong or its subject is gone);
  // any other code is retried with backoff while attempts are left. Must not throw.
  virtual Result<std::string> Run(JobContext& context) = 0;
};

}  // namespace atrium::core::jobs
