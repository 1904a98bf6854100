#include "core/messaging/delivery_log.hpp"

namespace atrium::core::messaging {

Result<bool> DeliveryLog::FirstDelivery(const std::string& source, const std::string& message_id) {
  return deliveries_.RecordFirst(source, message_id, FormatRfc3339(clock_.Now()));
}

}  // namespace atrium::core::messaging
