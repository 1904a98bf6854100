#pragma once
// The probes the foundation knows: the database, the blob directory, and services
// that are not configured (reported honestly as down, never as up).

#include <filesystem>
#include <functional>
#include <string>

#include "core/health/health_service.hpp"
#include "core/result.hpp"

namespace atrium::core::health {

// Healthy when the database answers `ping` (a trivial round trip, given by app/ from
// the driver); latency is that round trip.
class DatabaseProbe final : public HealthProbe {
 public:
  DatabaseProbe(std::function<Result<void>()> ping, const Clock& clock) : ping_(std::move(ping)), clock_(clock) {}
  std::string name() const override { return "database"; }
  bool critical() const override { return true; }
  ProbeResult Check() override;

 private:
  std::function<Result<void>()> ping_;
  const Clock& clock_;
};

// Healthy when the blob directory exists and is writable.
class DirectoryProbe final : public HealthProbe {
 public:
  DirectoryProbe(std::string name, std::filesystem::path dir, const Clock& clock)
      : name_(std::move(name)), dir_(std::move(dir)), clock_(clock) {}
  std::string name() const override { return name_; }
  bool critical() const override { return true; }
  ProbeResult Check() override;

 private:
  std::string name_;
  std::filesystem::path dir_;
  const Clock& clock_;
};

// A service Atrium can use but that is not configured (e.g. no LLM upstream yet).
class UnconfiguredProbe final : public HealthProbe {
 public:
  explicit UnconfiguredProbe(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  bool critical() const override { return false; }
  ProbeResult Check() override { return {false, std::chrono::microseconds{0}, "not configured"}; }

 private:
  std::string name_;
};

}  // namespace atrium::core::health
