#pragma once
// The login throttle of several instances: failure counts and locks in Redis, so a
// lockout earned on one instance holds on all of them. Same rules as
// InMemoryLoginThrottle: `max_failures` within `window` (counted from the first)
// lock the (account, address) pair for `lockout`; a success forgets both. Expiry is
// Redis's own (PEXPIRE), so no entry outlives its window or lock and no bound on
// entries is needed (`max_entries` is not used).
//
// Redis unreachable: every call fails with kUnavailable, and the identity service
// applies LoginThrottle::kOnFailure (open).

#include <string>

#include "core/identity/login_throttle.hpp"
#include "storage/redis/redis_client.hpp"

namespace atrium::storage::redis {

class RedisLoginThrottle final : public core::identity::LoginThrottle {
 public:
  // `client` must outlive the throttle. Keys are <prefix>login:{fail,lock}:<account>\n<address>.
  RedisLoginThrottle(RedisClient& client, std::string prefix, core::identity::ThrottleOptions options);

  core::Result<std::int64_t> LockedFor(const std::string& account, const std::string& address) override;
  core::Result<void> RecordFailure(const std::string& account, const std::string& address) override;
  core::Result<void> RecordSuccess(const std::string& account, const std::string& address) override;

 private:
  std::string Key(std::string_view kind, const std::string& account, const std::string& address) const;

  RedisClient& client_;
  std::string prefix_;
  core::identity::ThrottleOptions options_;
  RedisScript record_failure_;
};

}  // namespace atrium::storage::redis
