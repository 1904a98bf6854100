#pragma once
// A probe around one call (a weather lookup, an IMAP search): healthy when it
// succeeds, with the call's latency and the error's safe message otherwise.

#include <functional>
#include <string>

#include "core/health/health_service.hpp"
#include "core/result.hpp"

namespace atrium::core::health {

class FunctionProbe final : public HealthProbe {
 public:
  FunctionProbe(std::string name, std::function<Result<void>()> check, const Clock& clock)
      : name_(std::move(name)), check_(std::move(check)), clock_(clock) {}
  std::string name() const override { return name_; }
  bool critical() const override { return false; }
  ProbeResult Check() override {
    const auto start = clock_.Steady();
    const auto r = check_();
    ProbeResult out;
    out.healthy = r.ok();
    out.latency = std::chrono::duration_cast<std::chrono::microseconds>(clock_.Steady() - start);
    if (!r) out.detail = r.error().safe_message();
    return out;
  }

 private:
  std::string name_;
  std::function<Result<void>()> check_;
  const Clock& clock_;
};

}  // namespace atrium::core::health
