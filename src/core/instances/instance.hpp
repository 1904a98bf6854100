#pragma once
// One running `atrium serve` as recorded in the shared database: who it is, where it
// runs, and when it last said it was alive. A row whose heartbeat is older than the
// registry's TTL belongs to a dead instance.

#include <chrono>
#include <cstdint>
#include <string>

namespace atrium::core::instances {

struct Instance {
  std::string id;    // a UUID chosen at start-up; the lease owner of the jobs it runs
  std::string host;  // gethostname()
  std::int64_t pid = 0;
  // Whether it shares rate limits and the event bus through Redis (redis.url set).
  bool shared_state = false;
  std::chrono::system_clock::time_point started_at{};
  std::chrono::system_clock::time_point heartbeat_at{};

  bool operator==(const Instance&) const = default;
};

}  // namespace atrium::core::instances
