#pragma once
// This instance's row in the shared database's registry, and the start-up rule that
// follows from the others' rows.
//
// Join registers the row, then reads everyone's: another row whose heartbeat is
// younger than the TTL is a live instance. Rate limits, lockouts and the event bus
// live in each process unless Redis is configured (redis.url), so two live instances
// on one database without Redis would silently split them: Join then removes its own
// row again and fails with kAlreadyExists, naming the other instance. It also fails
// when this instance has Redis but a live one without it is registered. Registering
// first and checking second means two instances starting at once both see each other
// (and both refuse) rather than both starting.
//
// A live-looking row of a process on this very host that no longer exists (killed
// with kill -9 less than a TTL ago) is dead: `process_gone` says so and Join prunes it,
// so a restart after a crash need not wait for the TTL. Rows older than the TTL are
// pruned by every Join.
//
// Heartbeats run on the registry's own thread every `heartbeat`; Leave stops it and
// removes the row (graceful shutdown). Thread-safety: Join, Start and Leave from one
// thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "core/instances/instance.hpp"
#include "core/result.hpp"

namespace atrium::core::persistence {
class Transactions;
}

namespace atrium::core::instances {

class InstanceRepository;

struct RegistrySettings {
  std::chrono::milliseconds heartbeat{3000};
  std::chrono::milliseconds ttl{15000};  // several heartbeats: a slow database is not death
};

class InstanceRegistry {
 public:
  // `self` carries id, host, pid and shared_state; its times are set by Join.
  // `process_gone(pid)` answers for a pid on this host.
  InstanceRegistry(persistence::Transactions& transactions, InstanceRepository& instances, const Clock& clock,
                   Instance self, RegistrySettings settings, std::function<bool(std::int64_t pid)> process_gone);
  // Leave.
  ~InstanceRegistry();
  InstanceRegistry(const InstanceRegistry&) = delete;
  InstanceRegistry& operator=(const InstanceRegistry&) = delete;

  // See the class comment. kAlreadyExists: another live instance makes this one unsafe
  // (the message says which and what to do); a storage error as it is.
  Result<void> Join();
  // Starts the heartbeat thread (after a successful Join).
  void Start();
  // Stops heartbeating and removes the row. Idempotent.
  void Leave();

  const Instance& self() const { return self_; }

 private:
  void Beat();

  persistence::Transactions& transactions_;
  InstanceRepository& instances_;
  const Clock& clock_;
  Instance self_;
  const RegistrySettings settings_;
  std::function<bool(std::int64_t)> process_gone_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool joined_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace atrium::core::instances
