#pragma once
// API keys for machine clients (pisovereign's bearer keys). Keys come from config
// (`[security.api_key_users]`, key -> user id) or are created on the CLI and stored
// hashed. Keys are only ever compared as SHA-256 hashes.

#include <map>
#include <string>

#include "core/clock.hpp"
#include "core/identity/user.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "core/persistence/repositories.hpp"

namespace atrium::core::identity {

class UserRepository;
class ApiKeyRepository;

class ApiKeys {
 public:
  // `configured` maps keys to user ids. Users named there that do not exist yet are
  // created (active, with an unusable password) so that everything they own has an owner.
  ApiKeys(const persistence::Repositories& repos, const Clock& clock, Random& random,
          const std::map<std::string, std::string>& configured);

  // Makes sure every configured user exists. Called once at start-up.
  Result<void> EnsureConfiguredUsers();

  // kUnauthenticated (reason invalid_api_key) for an unknown key; banned or disabled
  // owners are refused as in IdentityService.
  Result<Principal> Authenticate(std::string_view key);

  // Creates a key for `user_id` and returns it; only its hash is stored.
  Result<std::string> Create(const std::string& user_id, const std::string& name);

 private:
  persistence::Transactions& transactions_;
  UserRepository& users_;
  ApiKeyRepository& keys_;
  const Clock& clock_;
  Random& random_;
  std::map<std::string, std::string> configured_;  // key hash -> user id
};

}  // namespace atrium::core::identity
