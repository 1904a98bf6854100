#pragma once
// The Mira multi-network API (mira-network-api.md), default port 8400.

#include <memory>

#include "dialects/services.hpp"
#include "http/error_renderer.hpp"
#include "http/site.hpp"

namespace atrium::dialects::mira {

inline constexpr const char* kName = "mira";
inline constexpr int kDefaultPort = 8400;

// Errors as {"error": {"code", "message", "details": {..., "timestamp"}, "request_id"}}.
std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer(const core::Clock& clock);
void AddRoutes(http::Site& site, const Services& services);

}  // namespace atrium::dialects::mira
