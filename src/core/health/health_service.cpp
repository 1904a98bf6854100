#include "core/health/health_service.hpp"

namespace atrium::core::health {

const ServiceStatus* HealthReport::Find(std::string_view name) const {
  for (const auto& s : services) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

HealthService::HealthService(const Clock& clock, std::string version)
    : clock_(clock), version_(std::move(version)), started_(clock.Steady()) {}

void HealthService::AddProbe(std::unique_ptr<HealthProbe> probe) { probes_.push_back(std::move(probe)); }

HealthReport HealthService::CheckAll() const {
  HealthReport report;
  for (const auto& probe : probes_) {
    ServiceStatus s{probe->name(), probe->critical(), probe->Check()};
    if (!s.result.healthy) {
      if (s.critical) {
        report.status = OverallStatus::kDown;
      } else if (report.status == OverallStatus::kHealthy) {
        report.status = OverallStatus::kDegraded;
      }
    }
    report.services.push_back(std::move(s));
  }
  return report;
}

std::optional<ServiceStatus> HealthService::Check(std::string_view name) const {
  for (const auto& probe : probes_) {
    if (probe->name() == name) return ServiceStatus{probe->name(), probe->critical(), probe->Check()};
  }
  return std::nullopt;
}

std::chrono::seconds HealthService::Uptime() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Steady() - started_);
}

}  // namespace atrium::core::health
