#include "core/jobs/sleep_job.hpp"

#include <charconv>
#include <thread>

namespace atrium::core::jobs {

Result<std::string> SleepJobHandler::Run(JobContext& context) {
  const std::string& payload = context.job().payload;
  const auto colon = payload.find(':');
  int steps = 0;
  int step_ms = 0;
  const bool parsed =
      colon != std::string::npos &&
      std::from_chars(payload.data(), payload.data() + colon, steps).ec == std::errc() &&
      std::from_chars(payload.data() + colon + 1, payload.data() + payload.size(), step_ms).ec == std::errc();
  if (!parsed || steps < 0 || steps > 10000 || step_ms < 0 || step_ms > 60000) {
    return Error(ErrorCode::kInvalidArgument, "The payload must be <steps>:<step_ms>");
  }
  for (int i = 0; i < steps; ++i) {
    for (int slept = 0; slept < step_ms; slept += 10) {
      if (context.stopping()) return Error(ErrorCode::kUnavailable, "stopped");
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(10, step_ms - slept)));
    }
    if (!context.Progress({i + 1, steps, "step " + std::to_string(i + 1) + " of " + std::to_string(steps)})) {
      return Error(ErrorCode::kUnavailable, "stopped");
    }
  }
  return "finished on " + instance_id_;
}

}  // namespace atrium::core::jobs
