#pragma once
// AuditRepository in portable SQL (table audit_logs, ordered by its integer seq).

#include "core/audit/audit_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlAuditRepository final : public core::audit::AuditRepository {
 public:
  explicit SqlAuditRepository(Database& db) : db_(db) {}

  core::Result<std::string> Append(core::persistence::UnitOfWork& uow, const core::audit::AuditEntry& entry) override;
  core::Result<core::audit::AuditPage> List(const std::string& action, std::int64_t skip, std::int64_t limit) override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
