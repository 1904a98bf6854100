#pragma once
// The PiSovereign API (pisovereign-api.md), default port 3000.

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/identity/user.hpp"
#include "dialects/dialect.hpp"
#include "dialects/pisovereign/deps.hpp"
#include "dialects/pisovereign/info.hpp"
#include "http/error_renderer.hpp"
#include "http/site.hpp"

namespace atrium::dialects::pisovereign {

// Errors as {"error": {"code", "message", "details", "request_id"}}; validation
// failures are 422 as the spec's table says.
std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer();
void AddRoutes(http::Site& site, const Deps& services);
// The module app/ lists (dialect.cpp); `deps` is copied (its references are kept).
std::unique_ptr<Dialect> MakeDialect(const Deps& deps);
// GET /metrics and GET /metrics/prometheus.
void AddMetricsRoutes(http::Site& site, const Deps& services);

// A route behind a bearer API key, limited per client address (rate_limit_rpm).
using ProtectedHandler = std::function<http::Reply(http::Request&, const core::identity::Principal&)>;
http::Handler Protected(const Deps& services, ProtectedHandler handler);
// GET /v1/system/status and /v1/system/models.
void AddSystemRoutes(http::Site& site, const Deps& services);
// POST /v1/commands and /v1/commands/parse.
void AddCommandRoutes(http::Site& site, const Deps& services);
// /api-docs/openapi.json, /swagger-ui/ and /redoc/.
void AddOpenApiRoutes(http::Site& site, const Deps& services);
// The OpenAPI 3.1 document of `site` (a pisovereign site), from its route table.
boost::json::object OpenApiDocument(const http::Site& site);
boost::json::object OpenApiSchemas();
// GET and POST /v1/webhooks/whatsapp.
void AddWebhookRoutes(http::Site& site, const Deps& services);

// Prometheus text exposition (format 0.0.4) of the request metrics of every dialect
// and of the LLM gateway.
std::string PrometheusText(const core::metrics::RequestMetrics& metrics, const core::metrics::InferenceStats& inference,
                           std::chrono::seconds uptime);
// The shared-state families (bus messages by direction, Redis reconnects), appended to
// PrometheusText when state is shared (redis.url); empty otherwise.
std::string SharedStateText(const core::metrics::SharedStateStats& stats);

}  // namespace atrium::dialects::pisovereign
