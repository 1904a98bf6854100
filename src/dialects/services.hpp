#pragma once
// The core services a dialect adapter may call. Built once in app/ and passed to every
// dialect, so all five speak to the same accounts, stores and metrics.

#include "core/clock.hpp"
#include "core/health/health_service.hpp"
#include "core/logs/client_log_service.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"

namespace atrium::dialects {

struct Services {
  const core::Clock& clock;
  core::health::HealthService& health;
  core::metrics::RequestMetrics& metrics;
  const core::metrics::InferenceStats& inference;
  core::logs::ClientLogService& client_logs;
};

}  // namespace atrium::dialects
