#pragma once
// A job changed ("job.updated"): it started an attempt, reported progress, or reached
// a state (queued again for a retry, succeeded, failed, cancelled). Published by the
// runner on topics::Job(id) and, for a job with an owner, topics::User(owner), so a
// real-time surface can show it; the job itself (JobQueue::Get) stays the truth.

#include <cstdint>
#include <optional>
#include <string>

#include "core/jobs/job.hpp"

namespace atrium::core::jobs {

struct JobUpdated {
  std::string id;
  std::string kind;
  std::string owner;
  JobState state = JobState::kQueued;
  int attempts = 0;
  JobProgress progress;
  std::optional<std::string> error;

  bool operator==(const JobUpdated&) const = default;
};

}  // namespace atrium::core::jobs
