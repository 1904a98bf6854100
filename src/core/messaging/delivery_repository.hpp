#pragma once
// Incoming deliveries seen, by (source, the sender's message id). Blocking;
// thread-safe. Isolation: kReadCommitted; the insert is atomic on its own.

#include <string>

#include "core/result.hpp"

namespace atrium::core::messaging {

class DeliveryRepository {
 public:
  virtual ~DeliveryRepository() = default;
  // Records the delivery; true the first time (source, message_id) is recorded, false
  // for a repeat. Two concurrent calls for one delivery give exactly one true.
  virtual Result<bool> RecordFirst(const std::string& source, const std::string& message_id,
                                   const std::string& received_at) = 0;
};

}  // namespace atrium::core::messaging
