#include "core/admin/user_admin.hpp"

namespace atrium::core::admin {

namespace {

using identity::Principal;
using identity::UserStatus;

audit::AuditEntry Entry(const Principal& admin, std::string action, std::string target_id, audit::AuditDetails details) {
  audit::AuditEntry entry;
  entry.admin_id = admin.user_id;
  entry.action = std::move(action);
  entry.target_id = std::move(target_id);
  entry.details = std::move(details);
  return entry;
}

}  // namespace

UserAdmin::UserAdmin(identity::IdentityService& identity, audit::AuditLog& audit)
    : identity_(identity), audit_(audit) {}

Result<UserPage> UserAdmin::List(const UserQuery& query) {
  auto found = identity_.users().Search(query.search, query.include_banned, query.limit, query.offset);
  if (!found) return found.error();
  return UserPage{std::move(found->first), found->second};
}

Result<identity::User> UserAdmin::Get(const std::string& user_id) { return identity_.GetUser(user_id); }

Result<void> UserAdmin::Ban(const Principal& admin, const std::string& user_id, std::optional<std::string> reason) {
  if (user_id == admin.user_id) {
    return Error(ErrorCode::kInvalidArgument, "Cannot ban yourself").WithReason(Reason::kCannotBanSelf);
  }
  auto target = identity_.GetUser(user_id);
  if (!target) return target.error();
  if (target->role == identity::Role::kAdmin) {
    return Error(ErrorCode::kInvalidArgument, "Cannot ban other admins").WithReason(Reason::kCannotBanAdmin);
  }
  audit::AuditDetails details{{"reason", reason ? audit::AuditValue(*reason) : audit::AuditValue(nullptr)}};
  return identity_.SetStatus(user_id, UserStatus::kBanned, reason, [&](persistence::UnitOfWork& tx) {
    return Audit(tx, admin, "ban_user", user_id, details);
  });
}

Result<void> UserAdmin::Unban(const Principal& admin, const std::string& user_id) {
  auto target = identity_.GetUser(user_id);
  if (!target) return target.error();
  if (target->status != UserStatus::kBanned) return Audit(admin, "unban_user", user_id);
  return identity_.SetStatus(user_id, UserStatus::kActive, std::nullopt,
                             [&](persistence::UnitOfWork& tx) { return Audit(tx, admin, "unban_user", user_id); });
}

Result<void> UserAdmin::SetTokenLimit(const Principal& admin, const std::string& user_id, std::int64_t tokens_limit) {
  if (tokens_limit < -1) {
    return Error(ErrorCode::kInvalidArgument, "tokens_limit must be -1 (unlimited) or a number of tokens >= 0");
  }
  audit::AuditDetails details{{"tokens_limit", tokens_limit}};
  if (auto before = identity_.GetUser(user_id); before) details.emplace_back("previous_limit", before->usage.tokens_limit);
  return identity_.SetTokenLimit(user_id, tokens_limit, [&](persistence::UnitOfWork& tx) {
    return Audit(tx, admin, "update_limits", user_id, details);
  });
}

Result<void> UserAdmin::Audit(persistence::UnitOfWork& tx, const Principal& admin, std::string action, std::string target_id,
                              audit::AuditDetails details) {
  auto recorded = audit_.Record(tx, Entry(admin, std::move(action), std::move(target_id), std::move(details)));
  if (!recorded) return recorded.error();
  return Ok{};
}

Result<void> UserAdmin::Audit(const Principal& admin, std::string action, std::string target_id,
                              audit::AuditDetails details) {
  auto recorded = audit_.Record(Entry(admin, std::move(action), std::move(target_id), std::move(details)));
  if (!recorded) return recorded.error();
  return Ok{};
}

}  // namespace atrium::core::admin
