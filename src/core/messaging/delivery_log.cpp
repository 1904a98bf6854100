#include "core/messaging/delivery_log.hpp"

namespace atrium::core::messaging {

Result<bool> DeliveryLog::FirstDelivery(const std::string& source, const std::string& message_id) {
  auto changed = db_.Execute(
      "INSERT INTO webhook_deliveries (source, message_id, received_at) VALUES (?, ?, ?)"
      " ON CONFLICT (source, message_id) DO NOTHING",
      {source, message_id, FormatRfc3339(clock_.Now())});
  if (!changed) return changed.error();
  return *changed == 1;
}

}  // namespace atrium::core::messaging
