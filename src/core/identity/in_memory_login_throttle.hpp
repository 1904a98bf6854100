#pragma once
// The login throttle of a single instance: counts in this process's memory. Its calls
// never fail; when the table is full of live entries, new pairs go uncounted (open).

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/identity/login_throttle.hpp"

namespace atrium::core::identity {

class InMemoryLoginThrottle final : public LoginThrottle {
 public:
  InMemoryLoginThrottle(const Clock& clock, ThrottleOptions options) : clock_(clock), options_(options) {}

  Result<std::int64_t> LockedFor(const std::string& account, const std::string& address) override;
  Result<void> RecordFailure(const std::string& account, const std::string& address) override;
  Result<void> RecordSuccess(const std::string& account, const std::string& address) override;

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
