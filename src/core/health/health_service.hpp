#pragma once
// Health of the server and the parts it depends on, checked through probes. Dialects
// render the report in their own shapes; the core only says what is up and how fast.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace atrium::core::health {

struct ProbeResult {
  bool healthy = false;
  std::chrono::microseconds latency{0};
  std::string detail;  // safe to show: "not configured", "unreachable"
  std::string label;   // what was checked, when it has a name (the model)
};

// A probe may block (it may touch the database or the network): call Check on a worker
// thread. Implementations are thread-safe.
class HealthProbe {
 public:
  virtual ~HealthProbe() = default;
  // A neutral service name: "database", "inference", "blobs", "cache".
  virtual std::string name() const = 0;
  // A critical service being down makes the whole server "down"; others "degraded".
  virtual bool critical() const = 0;
  virtual ProbeResult Check() = 0;
};

enum class OverallStatus { kHealthy, kDegraded, kDown };

struct ServiceStatus {
  std::string name;
  bool critical = false;
  ProbeResult result;
};

struct HealthReport {
  OverallStatus status = OverallStatus::kHealthy;
  std::vector<ServiceStatus> services;

  // The named service, when a probe for it exists.
  const ServiceStatus* Find(std::string_view name) const;
};

class HealthService {
 public:
  HealthService(const Clock& clock, std::string version);

  void AddProbe(std::unique_ptr<HealthProbe> probe);

  // Runs every probe (blocking) and folds their results into one status.
  HealthReport CheckAll() const;
  // Runs one probe; nullopt when none has that name.
  std::optional<ServiceStatus> Check(std::string_view name) const;

  const std::string& version() const { return version_; }
  std::chrono::seconds Uptime() const;
  const Clock& clock() const { return clock_; }

 private:
  const Clock& clock_;
  std::string version_;
  std::chrono::steady_clock::time_point started_;
  std::vector<std::unique_ptr<HealthProbe>> probes_;
};

}  // namespace atrium::core::health
