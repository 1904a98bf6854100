#pragma once
// What admins may do to accounts, with the rules that protect admins from each other
// and from themselves, every action written to the audit log. A change and its audit
// entry commit in one transaction: a change whose entry cannot be written is not made.
// The caller has checked that the acting principal is an admin.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/audit/audit_log.hpp"
#include "core/identity/identity_service.hpp"
#include "core/identity/user.hpp"
#include "core/result.hpp"

namespace atrium::core::admin {

struct UserQuery {
  std::string search;  // in email and display name
  bool include_banned = true;
  std::int64_t limit = 20;
  std::int64_t offset = 0;
};

struct UserPage {
  std::vector<identity::User> users;
  std::int64_t total = 0;
};

class UserAdmin {
 public:
  UserAdmin(identity::IdentityService& identity, audit::AuditLog& audit);

  Result<UserPage> List(const UserQuery& query);
  Result<identity::User> Get(const std::string& user_id);
  // Bans and signs the user out everywhere. kInvalidArgument ("cannot_ban_self",
  // "cannot_ban_admin") for the acting admin themself or another admin.
  Result<void> Ban(const identity::Principal& admin, const std::string& user_id, std::optional<std::string> reason);
  // Makes a banned user active again (an account in any other state is left as it is).
  Result<void> Unban(const identity::Principal& admin, const std::string& user_id);
  // `tokens_limit` >= 0, or -1 for unlimited (kInvalidArgument otherwise).
  Result<void> SetTokenLimit(const identity::Principal& admin, const std::string& user_id, std::int64_t tokens_limit);

  // Records an admin action on something other than an account inside the transaction
  // that makes the change (templates, ...), so both commit or neither does.
  Result<void> Audit(persistence::UnitOfWork& tx, const identity::Principal& admin, std::string action, std::string target_id,
                     audit::AuditDetails details = {});
  // Records an action that changes nothing (an admin's reads) on its own.
  Result<void> Audit(const identity::Principal& admin, std::string action, std::string target_id,
                     audit::AuditDetails details = {});

 private:
  identity::IdentityService& identity_;
  audit::AuditLog& audit_;
};

}  // namespace atrium::core::admin
