#include "core/audit/audit_log.hpp"

#include <optional>

namespace atrium::core::audit {

namespace {

using storage::Params;

}  // namespace

AuditLog::AuditLog(storage::Database& db, const Clock& clock, Random& random)
    : db_(db), clock_(clock), random_(random) {}

Result<AuditEntry> AuditLog::Record(AuditEntry entry) {
  std::optional<AuditEntry> recorded;
  auto done = db_.Transact([&](storage::Executor& tx) -> Result<void> {
    auto r = Record(tx, std::move(entry));
    if (!r) return r.error();
    recorded = std::move(r).value();
    return Ok{};
  });
  if (!done) return done.error();
  return std::move(*recorded);
}

Result<AuditEntry> AuditLog::Record(storage::Executor& tx, AuditEntry entry) {
  entry.id = NewUuid(random_);
  entry.created_at = FormatRfc3339(clock_.Now());
  if (entry.details_json.empty()) entry.details_json = "{}";
  if (entry.admin_email.empty()) {
    auto rows = tx.Query("SELECT email FROM users WHERE id = ?", {entry.admin_id});
    if (!rows) return rows.error();
    if (!rows->empty()) entry.admin_email = storage::AsText(rows->rows[0][0]).value_or("");
  }
  auto stored = tx.Execute(
      "INSERT INTO audit_logs(id, admin_id, admin_email, action, target_id, details, created_at)"
      " VALUES (?,?,?,?,?,?,?)",
      Params{entry.id, entry.admin_id, entry.admin_email, entry.action, entry.target_id, entry.details_json,
             entry.created_at});
  if (!stored) return stored.error();
  return entry;
}

Result<AuditPage> AuditLog::List(const std::string& action, std::int64_t skip, std::int64_t limit) {
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
  AuditPage page;
  page.total = storage::AsInt(count->rows[0][0]).value_or(0);
  for (const auto& r : rows->rows) {
    page.entries.push_back({storage::AsText(r[0]).value_or(""), storage::AsText(r[1]).value_or(""),
                            storage::AsText(r[2]).value_or(""), storage::AsText(r[3]).value_or(""),
                            storage::AsText(r[4]).value_or(""), storage::AsText(r[5]).value_or("{}"),
                            storage::AsText(r[6]).value_or("")});
  }
  return page;
}

}  // namespace atrium::core::audit
