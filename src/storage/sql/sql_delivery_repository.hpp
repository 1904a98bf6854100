#pragma once
// DeliveryRepository in portable SQL (table webhook_deliveries).

#include "core/messaging/delivery_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlDeliveryRepository final : public core::messaging::DeliveryRepository {
 public:
  explicit SqlDeliveryRepository(Database& db) : db_(db) {}

  core::Result<bool> RecordFirst(const std::string& source, const std::string& message_id,
                                 const std::string& received_at) override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
