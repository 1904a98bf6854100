#include "core/audit/audit_log.hpp"

#include <optional>

namespace atrium::core::audit {

AuditLog::AuditLog(const persistence::Repositories& repos, const Clock& clock, Random& random)
    : transactions_(repos.transactions), entries_(repos.audit), clock_(clock), random_(random) {}

Result<AuditEntry> AuditLog::Record(AuditEntry entry) {
  std::optional<AuditEntry> recorded;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& uow) -> Result<void> {
    auto r = Record(uow, entry);
    if (!r) return r.error();
    recorded = std::move(r).value();
    return Ok{};
  });
  if (!done) return done.error();
  return std::move(*recorded);
}

Result<AuditEntry> AuditLog::Record(persistence::UnitOfWork& uow, AuditEntry entry) {
  entry.id = NewUuid(random_);
  entry.created_at = FormatRfc3339(clock_.Now());
  auto email = entries_.Append(uow, entry);
  if (!email) return email.error();
  entry.admin_email = std::move(*email);
  return entry;
}

Result<AuditPage> AuditLog::List(const std::string& action, std::int64_t skip, std::int64_t limit) {
  return entries_.List(action, skip, limit);
}

}  // namespace atrium::core::audit
