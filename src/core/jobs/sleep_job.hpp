#pragma once
// A job kind for tests of the queue itself ("testing.sleep", registered only with
// testing.echo_routes): the payload "<steps>:<step_ms>" sleeps that many steps,
// reporting progress after each, and succeeds with "finished on <instance id>". It has
// no effects, so it is trivially idempotent; it stops early when its attempt stops.

#include <string>

#include "core/jobs/job_handler.hpp"

namespace atrium::core::jobs {

inline constexpr std::string_view kSleepJobKind = "testing.sleep";

class SleepJobHandler final : public JobHandler {
 public:
  explicit SleepJobHandler(std::string instance_id) : instance_id_(std::move(instance_id)) {}
  Result<std::string> Run(JobContext& context) override;

 private:
  std::string instance_id_;
};

}  // namespace atrium::core::jobs
