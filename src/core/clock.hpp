#pragma once
// Time as the core sees it. Injected everywhere so tests can freeze or advance it.

#include <chrono>
#include <cstdint>
#include <string>

namespace atrium::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, for timestamps shown to users.
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // Monotonic time, for durations, deadlines and uptime.
  virtual std::chrono::steady_clock::time_point Steady() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point Steady() const override { return std::chrono::steady_clock::now(); }
};

// RFC 3339 in UTC with a `Z` suffix; `fraction_digits` is 0 (seconds) or 3 (milliseconds).
std::string FormatRfc3339(std::chrono::system_clock::time_point t, int fraction_digits = 0);

}  // namespace atrium::core
