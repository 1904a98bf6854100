#include "storage/sql/sql_delivery_repository.hpp"

namespace atrium::storage::sql {

core::Result<bool> SqlDeliveryRepository::RecordFirst(const std::string& source, const std::string& message_id,
                                                      const std::string& received_at) {
  auto changed = db_.Execute(
      "INSERT INTO webhook_deliveries (source, message_id, received_at) VALUES (?, ?, ?)"
      " ON CONFLICT (source, message_id) DO NOTHING",
      {source, message_id, received_at});
  if (!changed) return changed.error();
  return *changed == 1;
}

}  // namespace atrium::storage::sql
