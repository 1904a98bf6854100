#pragma once
// What admins did, for accountability: one entry per administrative action, kept
// append-only. Blocking; thread-safe.

#include <cstdint>
#include <string>

#include "core/audit/audit_repository.hpp"
#include "core/clock.hpp"
#include "core/persistence/repositories.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/random.hpp"
#include "core/result.hpp"

namespace atrium::core::audit {

class AuditLog {
 public:
  AuditLog(const persistence::Repositories& repos, const Clock& clock, Random& random);

  // Stamps id and time. `admin_email` is looked up from the admin's account when empty.
  // Inside the caller's unit of work: the entry commits or rolls back with the change
  // it records, so no change is kept unaudited.
  Result<AuditEntry> Record(persistence::UnitOfWork& uow, AuditEntry entry);
  // In a unit of its own, for actions that change nothing (an admin's reads).
  Result<AuditEntry> Record(AuditEntry entry);
  // Newest first; `action` empty means every action.
  Result<AuditPage> List(const std::string& action, std::int64_t skip, std::int64_t limit);

 private:
  persistence::Transactions& transactions_;
  AuditRepository& entries_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace atrium::core::audit
