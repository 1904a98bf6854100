#pragma once
// A durable background job as the core sees it: what to run (kind and payload), where
// it is in its life (state, attempts, progress, outcome) and who runs it now (lease).
// Times are wall-clock instants; the database stores them as milliseconds since the
// Unix epoch so that due and expired jobs are found by integer comparison.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atrium::core::jobs {

using TimePoint = std::chrono::system_clock::time_point;

// queued -> running -> succeeded | failed | cancelled; running -> queued again when an
// attempt fails with attempts left, or when its lease expired (its instance died).
enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kCancelled };

// The stored name of a state ("queued", "running", ...), and back.
std::string_view JobStateName(JobState state);
std::optional<JobState> JobStateFromName(std::string_view name);
// Succeeded, failed and cancelled jobs never run again.
bool IsFinal(JobState state);

// How far a running job is: `done` of `total` steps (total 0: unknown) and a short
// message for people ("Processing lecture 3 of 12").
struct JobProgress {
  std::int64_t done = 0;
  std::int64_t total = 0;
  std::string message;

  // done/total within 0..1; 0 while the total is unknown.
  double Fraction() const;
  bool operator==(const JobProgress&) const = default;
};

struct Job {
  std::string id;
  std::string kind;     // which handler runs it ("chat.title")
  std::string payload;  // opaque to the queue: the handler's own encoding
  // Whose job it is (a user id), for listing; empty for the system's own jobs.
  std::string owner;
  std::optional<std::string> dedupe_key;
  JobState state = JobState::kQueued;
  int attempts = 0;  // attempts started so far, the running one included
  int max_attempts = 3;
  JobProgress progress;
  std::optional<std::string> result;  // set when succeeded: the handler's own encoding
  std::optional<std::string> error;   // the last attempt's failure, for people
  TimePoint run_after{};              // not claimed before this
  std::optional<std::string> lease_owner;  // the instance id running it
  std::optional<TimePoint> lease_expires_at;
  TimePoint created_at{};
  TimePoint updated_at{};
  std::optional<TimePoint> started_at;   // the first attempt's start
  std::optional<TimePoint> finished_at;  // set with a final state

  bool operator==(const Job&) const = default;
};

// What Enqueue stores.
struct NewJob {
  std::string id;  // chosen by the caller (a UUID)
  std::string kind;
  std::string payload;
  std::string owner;
  // A job with this key already stored (in any state) is returned instead of storing a
  // second one: enqueueing is then idempotent for the caller ("chat.title:<id>").
  std::optional<std::string> dedupe_key;
  int max_attempts = 3;
  TimePoint run_after{};
};

struct EnqueueOutcome {
  Job job;
  bool created = false;  // false: the dedupe key's existing job
};

struct JobFilter {
  std::optional<std::string> owner;
  std::optional<std::string> kind;
  std::optional<JobState> state;
  int limit = 100;
};

}  // namespace atrium::core::jobs
