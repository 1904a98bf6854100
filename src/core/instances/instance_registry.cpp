#include "core/instances/instance_registry.hpp"

#include "core/instances/instance_repository.hpp"
#include "core/persistence/unit_of_work.hpp"

namespace atrium::core::instances {

using persistence::Isolation;
using persistence::UnitOfWork;

namespace {

std::string Describe(const Instance& other, std::chrono::system_clock::time_point now) {
  const auto ago = std::chrono::duration_cast<std::chrono::seconds>(now - other.heartbeat_at).count();
  return "instance " + other.id + " (host " + other.host + ", pid " + std::to_string(other.pid) +
         ", last heartbeat " + std::to_string(ago) + " s ago)";
}

}  // namespace

InstanceRegistry::InstanceRegistry(persistence::Transactions& transactions, InstanceRepository& instances,
                                   const Clock& clock, Instance self, RegistrySettings settings,
                                   std::function<bool(std::int64_t)> process_gone)
    : transactions_(transactions),
      instances_(instances),
      clock_(clock),
      self_(std::move(self)),
      settings_(settings),
      process_gone_(std::move(process_gone)) {}

InstanceRegistry::~InstanceRegistry() { Leave(); }

Result<void> InstanceRegistry::Join() {
  const auto now = clock_.Now();
  self_.started_at = self_.heartbeat_at = now;
  auto registered = transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
    if (auto pruned = instances_.PruneDead(uow, now - settings_.ttl); !pruned) return pruned.error();
    return instances_.Register(uow, self_);
  });
  if (!registered) return registered.error();
  {
    std::lock_guard lock(mu_);
    joined_ = true;
  }
  auto all = instances_.List();
  if (!all) {
    Leave();
    return all.error();
  }
  for (const Instance& other : *all) {
    if (other.id == self_.id) continue;
    if (other.host == self_.host && process_gone_ && process_gone_(other.pid)) {
      // Crashed here moments ago: its row is all that is left of it.
      (void)transactions_.Run(Isolation::kReadCommitted,
                              [&](UnitOfWork& uow) { return instances_.Deregister(uow, other.id); });
      continue;
    }
    std::string problem;
    if (!self_.shared_state) {
      problem = "another Atrium instance uses this database: " + Describe(other, now) +
                ". Without Redis (redis.url) each instance keeps its own rate limits and event bus, so they would "
                "silently split; set redis.url on every instance, or stop the other one";
    } else if (!other.shared_state) {
      problem = Describe(other, now) +
                " uses this database without Redis (redis.url): rate limits and events would split; restart it "
                "with redis.url set";
    }
    if (!problem.empty()) {
      Leave();
      return Error(ErrorCode::kAlreadyExists, problem);
    }
  }
  return Ok{};
}

void InstanceRegistry::Start() {
  std::lock_guard lock(mu_);
  if (!joined_ || thread_.joinable()) return;
  thread_ = std::thread([this] { Beat(); });
}

void InstanceRegistry::Beat() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, settings_.heartbeat, [&] { return stopping_; })) {
    lock.unlock();
    // A missed beat is made up by the next; the TTL spans several.
    (void)transactions_.Run(Isolation::kReadCommitted, [&](UnitOfWork& uow) -> Result<void> {
      auto beat = instances_.Heartbeat(uow, self_.id, clock_.Now());
      if (!beat) return beat.error();
      // Pruned as dead (a long stall): register again, the rule was checked at Join.
      if (!*beat) return instances_.Register(uow, Instance{self_.id, self_.host, self_.pid, self_.shared_state,
                                                            self_.started_at, clock_.Now()});
      return Ok{};
    });
    lock.lock();
  }
}

void InstanceRegistry::Leave() {
  {
    std::lock_guard lock(mu_);
    if (!joined_) return;
    joined_ = false;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  (void)transactions_.Run(Isolation::kReadCommitted,
                          [&](UnitOfWork& uow) { return instances_.Deregister(uow, self_.id); });
}

}  // namespace atrium::core::instances
