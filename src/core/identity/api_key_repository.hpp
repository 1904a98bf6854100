#pragma once
// Stored API keys, by the SHA-256 hash of the key (the key itself is never stored).
// Blocking; thread-safe. Isolation: kReadCommitted (single statements).

#include <optional>
#include <string>

#include "core/persistence/unit_of_work.hpp"
#include "core/result.hpp"

namespace atrium::core::identity {

class ApiKeyRepository {
 public:
  virtual ~ApiKeyRepository() = default;
  // Stores the key for `user_id`; false (nothing stored) when that user does not exist,
  // decided by the same statement (not a foreign-key error).
  virtual Result<bool> Insert(persistence::UnitOfWork& uow, const std::string& key_hash, const std::string& user_id,
                              const std::string& name, const std::string& now) = 0;
  // The owner of the key with this hash, or nullopt.
  virtual Result<std::optional<std::string>> FindOwner(const std::string& key_hash) = 0;
};

}  // namespace atrium::core::identity
