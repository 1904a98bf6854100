#include "storage/sql/sql_audit_repository.hpp"

#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

core::Result<std::string> SqlAuditRepository::Append(core::persistence::UnitOfWork& uow,
                                                     const core::audit::AuditEntry& e) {
  auto rows = Tx(uow).Query(
      "INSERT INTO audit_logs(id, admin_id, admin_email, action, target_id, details, created_at)"
      " VALUES (?, ?, COALESCE(NULLIF(?, ''), (SELECT email FROM users WHERE id = ?), ''), ?, ?, ?, ?)"
      " RETURNING admin_email",
      {e.id, e.admin_id, e.admin_email, e.admin_id, e.action, e.target_id, e.details_json, e.created_at});
  if (!rows) return rows.error();
  if (rows->empty()) return core::Error(core::ErrorCode::kInternal, "database error", "audit insert returned no row");
  return Text(rows->rows[0][0]);
}

core::Result<core::audit::AuditPage> SqlAuditRepository::List(const std::string& action, std::int64_t skip,
                                                              std::int64_t limit) {
  const std::string where = action.empty() ? "" : " WHERE action = ?";
  Params params;
  if (!action.empty()) params.emplace_back(action);
  auto count = db_.Query("SELECT COUNT(*) FROM audit_logs" + where, params);
  if (!count) return count.error();
  params.emplace_back(limit);
  params.emplace_back(skip);
  auto rows = db_.Query("SELECT id, admin_id, admin_email, action, target_id, details, created_at FROM audit_logs" +
                            where + " ORDER BY seq DESC LIMIT ? OFFSET ?",
                        params);
  if (!rows) return rows.error();
  core::audit::AuditPage page;
  page.total = Int(count->rows[0][0]);
  for (const auto& r : rows->rows) {
    page.entries.push_back({Text(r[0]), Text(r[1]), Text(r[2]), Text(r[3]), Text(r[4]), Text(r[5], "{}"), Text(r[6])});
  }
  return page;
}

}  // namespace atrium::storage::sql
