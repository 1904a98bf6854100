#pragma once
// The Second Brain API (second-brain-api.md), default port 8000. Every route is served
// under /api and, as the spec's versioning section says, under /api/v1 as well.

#include <memory>

#include "dialects/services.hpp"
#include "http/error_renderer.hpp"
#include "http/site.hpp"

namespace atrium::dialects::secondbrain {

inline constexpr const char* kName = "secondbrain";
inline constexpr int kDefaultPort = 8000;
inline constexpr const char* kApiVersion = "1.0.0";

// Errors as {"error": {"type", "message", "code", "details", "requestId", "timestamp"}}.
std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer(const core::Clock& clock);
void AddRoutes(http::Site& site, const Services& services);

}  // namespace atrium::dialects::secondbrain
