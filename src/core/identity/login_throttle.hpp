#pragma once
// Temporary lockout after repeated failed logins, keyed by account AND client address,
// so a stranger elsewhere can never lock the owner out, and every lock expires.
//
// LoginThrottle is the interface the identity service is given (in memory today:
// InMemoryLoginThrottle; a store shared by instances next). Every call can fail (the
// store is unreachable). The throttle fails OPEN (kOnFailure): a lock that cannot be
// read is taken as no lock, and a failure or success that cannot be recorded is
// dropped, so an outage never locks every user out; the auth routes' rate limits,
// which fail closed, still bound guessing.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/fail_mode.hpp"
#include "core/result.hpp"

namespace atrium::core::identity {

struct ThrottleOptions {
  int max_failures = 5;
  std::chrono::seconds window{15 * 60};   // failures older than this are forgotten
  std::chrono::seconds lockout{15 * 60};  // how long a lock lasts
  std::size_t max_entries = 100000;       // memory bound; expired entries go first
};

// Thread-safe.
class LoginThrottle {
 public:
  static constexpr FailMode kOnFailure = FailMode::kOpen;

  virtual ~LoginThrottle() = default;

  // Seconds left on a lock for (account, address), or 0 when not locked.
  virtual Result<std::int64_t> LockedFor(const std::string& account, const std::string& address) = 0;
  virtual Result<void> RecordFailure(const std::string& account, const std::string& address) = 0;
  virtual Result<void> RecordSuccess(const std::string& account, const std::string& address) = 0;
};

}  // namespace atrium::core::identity
