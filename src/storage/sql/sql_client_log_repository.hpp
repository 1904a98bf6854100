#pragma once
// ClientLogRepository in portable SQL (table client_logs, arrival order by its seq).

#include "core/logs/client_log_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlClientLogRepository final : public core::logs::ClientLogRepository {
 public:
  explicit SqlClientLogRepository(Database& db) : db_(db) {}

  core::Result<bool> InsertNew(core::persistence::UnitOfWork& uow, const core::logs::ClientLogEntry& entry,
                               const std::string& received_at) override;
  core::Result<void> KeepNewest(core::persistence::UnitOfWork& uow, std::int64_t keep) override;
  core::Result<core::logs::ClientLogPage> List(const core::logs::ClientLogQuery& query) override;
  core::Result<std::int64_t> Count() override;
  core::Result<std::int64_t> Clear(core::persistence::UnitOfWork& uow) override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
