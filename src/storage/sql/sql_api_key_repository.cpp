#include "storage/sql/sql_api_key_repository.hpp"

#include "storage/sql/sql_unit_of_work.hpp"

namespace atrium::storage::sql {

core::Result<bool> SqlApiKeyRepository::Insert(core::persistence::UnitOfWork& uow, const std::string& key_hash,
                                               const std::string& user_id, const std::string& name,
                                               const std::string& now) {
  auto r = Tx(uow).Execute(
      "INSERT INTO api_keys(key_hash, user_id, name, created_at)"
      " SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)",
      {key_hash, user_id, name, now, user_id});
  if (!r) return r.error();
  return *r == 1;
}

core::Result<std::optional<std::string>> SqlApiKeyRepository::FindOwner(const std::string& key_hash) {
  auto rows = db_.Query("SELECT user_id FROM api_keys WHERE key_hash = ?", {key_hash});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::string>{};
  return std::optional<std::string>{AsText(rows->rows[0][0]).value_or("")};
}

}  // namespace atrium::storage::sql
