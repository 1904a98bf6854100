#include "core/health/probes.hpp"

#include <unistd.h>

namespace atrium::core::health {

namespace {

std::chrono::microseconds Since(const Clock& clock, std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock.Steady() - start);
}

}  // namespace

ProbeResult DatabaseProbe::Check() {
  const auto start = clock_.Steady();
  auto r = ping_();
  return {r.ok(), Since(clock_, start), r.ok() ? "" : r.error().safe_message()};
}

ProbeResult DirectoryProbe::Check() {
  const auto start = clock_.Steady();
  const bool ok = ::access(dir_.c_str(), W_OK | X_OK) == 0;
  return {ok, Since(clock_, start), ok ? "" : "not writable"};
}

}  // namespace atrium::core::health
