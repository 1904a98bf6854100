#include "storage/sql/sql_audit_repository.hpp"

#include <boost/json.hpp>
#include <type_traits>
#include <variant>

#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

namespace json = boost::json;
using core::audit::AuditDetails;
using core::audit::AuditValue;

// The details column: one JSON object, keys in the order recorded.
std::string DetailsText(const AuditDetails& details) {
  json::object out;
  for (const auto& [name, value] : details) {
    out[name] = std::visit(
        [](const auto& v) -> json::value {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            json::array names;
            for (const auto& n : v) names.emplace_back(n);
            return names;
          } else {
            return json::value(v);
          }
        },
        value);
  }
  return json::serialize(out);
}

// Back from the column. A value of another shape (none is written) is kept as its JSON
// text, so nothing stored is lost.
AuditDetails DetailsFrom(const std::string& text) {
  AuditDetails out;
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& kv : v.as_object()) {
    const json::value& x = kv.value();
    AuditValue value = json::serialize(x);
    if (x.is_null()) {
      value = nullptr;
    } else if (x.is_bool()) {
      value = x.as_bool();
    } else if (x.is_int64()) {
      value = x.as_int64();
    } else if (x.is_string()) {
      value = std::string(x.as_string());
    } else if (x.is_array()) {
      std::vector<std::string> names;
      bool all_strings = true;
      for (const auto& n : x.as_array()) {
        if (!n.is_string()) {
          all_strings = false;
          break;
        }
        names.emplace_back(n.as_string());
      }
      if (all_strings) value = std::move(names);
    }
    out.emplace_back(std::string(kv.key()), std::move(value));
  }
  return out;
}

}  // namespace

core::Result<std::string> SqlAuditRepository::Append(core::persistence::UnitOfWork& uow,
                                                     const core::audit::AuditEntry& e) {
  auto rows = Tx(uow).Query(
      "INSERT INTO audit_logs(id, admin_id, admin_email, action, target_id, details, created_at)"
      " VALUES (?, ?, COALESCE(NULLIF(?, ''), (SELECT email FROM users WHERE id = ?), ''), ?, ?, ?, ?)"
      " RETURNING admin_email",
      {e.id, e.admin_id, e.admin_email, e.admin_id, e.action, e.target_id, DetailsText(e.details), e.created_at});
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
    page.entries.push_back(
        {Text(r[0]), Text(r[1]), Text(r[2]), Text(r[3]), Text(r[4]), DetailsFrom(Text(r[5], "{}")), Text(r[6])});
  }
  return page;
}

}  // namespace atrium::storage::sql
