#pragma once
// InstanceRepository in portable SQL (table instances; times in milliseconds since the
// epoch).

#include "core/instances/instance_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlInstanceRepository final : public core::instances::InstanceRepository {
 public:
  explicit SqlInstanceRepository(Database& db) : db_(db) {}

  core::Result<void> Register(core::persistence::UnitOfWork& uow, const core::instances::Instance& instance) override;
  core::Result<bool> Heartbeat(core::persistence::UnitOfWork& uow, const std::string& id,
                               std::chrono::system_clock::time_point now) override;
  core::Result<void> Deregister(core::persistence::UnitOfWork& uow, const std::string& id) override;
  core::Result<std::int64_t> PruneDead(core::persistence::UnitOfWork& uow,
                                       std::chrono::system_clock::time_point before) override;
  core::Result<std::vector<core::instances::Instance>> List() override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
