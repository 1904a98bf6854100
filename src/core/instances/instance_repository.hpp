#pragma once
// The instance registry's rows. Blocking; thread-safe. Isolation: kReadCommitted
// (single statements keyed by the instance id).

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/instances/instance.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/result.hpp"

namespace atrium::core::instances {

class InstanceRepository {
 public:
  virtual ~InstanceRepository() = default;
  // Stores `instance` (replacing a row with its id).
  virtual Result<void> Register(persistence::UnitOfWork& uow, const Instance& instance) = 0;
  // Records a heartbeat; false when the row is gone (pruned as dead by another).
  virtual Result<bool> Heartbeat(persistence::UnitOfWork& uow, const std::string& id,
                                 std::chrono::system_clock::time_point now) = 0;
  virtual Result<void> Deregister(persistence::UnitOfWork& uow, const std::string& id) = 0;
  // Removes rows whose heartbeat is older than `before`; how many.
  virtual Result<std::int64_t> PruneDead(persistence::UnitOfWork& uow, std::chrono::system_clock::time_point before) = 0;
  // Every row, oldest start first.
  virtual Result<std::vector<Instance>> List() = 0;
};

}  // namespace atrium::core::instances
