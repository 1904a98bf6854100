#pragma once
// ApiKeyRepository in portable SQL (table api_keys).

#include "core/identity/api_key_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlApiKeyRepository final : public core::identity::ApiKeyRepository {
 public:
  explicit SqlApiKeyRepository(Database& db) : db_(db) {}

  core::Result<bool> Insert(core::persistence::UnitOfWork& uow, const std::string& key_hash, const std::string& user_id,
                            const std::string& name, const std::string& now) override;
  core::Result<std::optional<std::string>> FindOwner(const std::string& key_hash) override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
