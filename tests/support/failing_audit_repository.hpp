#pragma once
// Fault injection through the interface: an AuditRepository whose appends fail (as a
// full or broken store would) while `failing` is set, passing everything else on to
// the real one.

#include <atomic>

#include "core/audit/audit_repository.hpp"
#include "core/persistence/repositories.hpp"

namespace atrium::testing {

class FailingAuditRepository final : public core::audit::AuditRepository {
 public:
  explicit FailingAuditRepository(core::audit::AuditRepository& real) : real_(real) {}

  core::Result<std::string> Append(core::persistence::UnitOfWork& uow, const core::audit::AuditEntry& entry) override {
    if (failing) return core::Error(core::ErrorCode::kUnavailable, "Storage unavailable", "injected audit failure");
    return real_.Append(uow, entry);
  }
  core::Result<core::audit::AuditPage> List(const std::string& action, std::int64_t skip, std::int64_t limit) override {
    return real_.List(action, skip, limit);
  }

  std::atomic<bool> failing{true};

 private:
  core::audit::AuditRepository& real_;
};

// `repos` with its audit repository replaced by `audit`.
inline core::persistence::Repositories WithAudit(const core::persistence::Repositories& r,
                                                 core::audit::AuditRepository& audit) {
  return core::persistence::Repositories{
      r.transactions, r.users,    r.sessions,    r.api_keys,         audit,
      r.deliveries,   r.calendar, r.client_logs, r.prompt_templates, r.assistant_configs,
      r.images,       r.arena,    r.usage,       r.conversations,    r.jobs,
      r.instances,    r.memories, r.documents,   r.embeddings};
}

}  // namespace atrium::testing
