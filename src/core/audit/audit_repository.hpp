#pragma once
// The audit aggregate: append-only entries of what admins did. Blocking; thread-safe.
// Isolation: kReadCommitted (an append is one statement).

#include <cstdint>
#include <string>
#include <vector>

#include "core/audit/audit_details.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/result.hpp"

namespace atrium::core::audit {

struct AuditEntry {
  std::string id;
  std::string admin_id;
  std::string admin_email;  // as it was when the action was taken
  std::string action;       // "ban_user", "update_limits", "create_template", ...
  std::string target_id;
  AuditDetails details;
  std::string created_at;
};

struct AuditPage {
  std::vector<AuditEntry> entries;
  std::int64_t total = 0;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  // Stores `entry` as given, except an empty admin_email, which is taken from the
  // admin's account as it is in this unit (left empty when there is none). Returns
  // the admin_email stored.
  virtual Result<std::string> Append(persistence::UnitOfWork& uow, const AuditEntry& entry) = 0;
  // Newest first (in the order appended); `action` empty means every action.
  virtual Result<AuditPage> List(const std::string& action, std::int64_t skip, std::int64_t limit) = 0;
};

}  // namespace atrium::core::audit
