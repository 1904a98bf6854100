#pragma once
// Remembers which incoming deliveries (by the sender's message id) were processed, in
// the database, so a webhook retried by its sender is handled once, also across
// restarts.

#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/messaging/delivery_repository.hpp"
#include "core/persistence/repositories.hpp"

namespace atrium::core::messaging {

class DeliveryLog {
 public:
  DeliveryLog(const persistence::Repositories& repos, const Clock& clock) : deliveries_(repos.deliveries), clock_(clock) {}

  // True the first time (source, message_id) is seen, false for a repeat; atomic, so
  // two concurrent deliveries of one message give exactly one true.
  Result<bool> FirstDelivery(const std::string& source, const std::string& message_id);

 private:
  DeliveryRepository& deliveries_;
  const Clock& clock_;
};

}  // namespace atrium::core::messaging
