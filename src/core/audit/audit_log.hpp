#pragma once
// What admins did, for accountability: one entry per administrative action, kept
// append-only. Blocking; thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace atrium::core::audit {

struct AuditEntry {
  std::string id;
  std::string admin_id;
  std::string admin_email;  // as it was when the action was taken
  std::string action;       // "ban_user", "update_limits", "create_template", ...
  std::string target_id;
  std::string details_json = "{}";  // a JSON object as text
  std::string created_at;
};

struct AuditPage {
  std::vector<AuditEntry> entries;
  std::int64_t total = 0;
};

class AuditLog {
 public:
  AuditLog(storage::Database& db, const Clock& clock, Random& random);

  // Stamps id and time. `admin_email` is looked up from the admin's account when empty.
  // Inside the caller's write transaction: the entry commits or rolls back with the
  // change it records, so no change is kept unaudited.
  Result<AuditEntry> Record(storage::Executor& tx, AuditEntry entry);
  // In a transaction of its own, for actions that change nothing (an admin's reads).
  Result<AuditEntry> Record(AuditEntry entry);
  // Newest first; `action` empty means every action.
  Result<AuditPage> List(const std::string& action, std::int64_t skip, std::int64_t limit);

 private:
  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace atrium::core::audit
