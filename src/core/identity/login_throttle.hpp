#pragma once
// Temporary lockout after repeated failed logins, keyed by account AND client address,
// so a stranger elsewhere can never lock the owner out, and every lock expires.

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"

namespace atrium::core::identity {

struct ThrottleOptions {
  int max_failures = 5;
  std::chrono::seconds window{15 * 60};   // failures older than this are forgotten
  std::chrono::seconds lockout{15 * 60};  // how long a lock lasts
  std::size_t max_entries = 100000;       // memory bound; expired entries go first
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottleOptions options) : clock_(clock), options_(options) {}

  // Seconds left on a lock for (account, address), or 0 when not locked.
  std::int64_t LockedFor(const std::string& account, const std::string& address);
  void RecordFailure(const std::string& account, const std::string& address);
  void RecordSuccess(const std::string& account, const std::string& address);

 private:
  struct Entry {
    int failures = 0;
    std::chrono::steady_clock::time_point first_failure{};
    std::chrono::steady_clock::time_point locked_until{};
  };
  void Prune(std::chrono::steady_clock::time_point now);

  const Clock& clock_;
  ThrottleOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace atrium::core::identity
