#pragma once
// The core services a dialect adapter may call. Built once in app/ and passed to every
// dialect, so all five speak to the same accounts, stores and metrics.

#include <string>

#include "core/clock.hpp"
#include "core/events/event_bus.hpp"
#include "core/health/health_service.hpp"
#include "core/identity/api_keys.hpp"
#include "core/identity/identity_service.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/logs/client_log_service.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects {

// Settings every dialect may read (validated by app/config).
struct DialectSettings {
  bool rate_limits = true;  // security.rate_limits
  int pisovereign_rate_limit_rpm = 60;
  std::string pisovereign_environment = "production";
  std::string data_dir;  // for the database size in status reports
  // socketio.* (unichat, secondbrain)
  http::socketio::ServerOptions socketio;
};

struct Services {
  const core::Clock& clock;
  core::health::HealthService& health;
  core::metrics::RequestMetrics& metrics;
  const core::metrics::InferenceStats& inference;
  core::logs::ClientLogService& client_logs;
  core::identity::IdentityService& identity;
  core::identity::ApiKeys& api_keys;
  core::ratelimit::RateLimiter& limiter;
  core::events::EventBus& events;
  core::llm::ModelCatalog& models;
  const DialectSettings& settings;
};

}  // namespace atrium::dialects
