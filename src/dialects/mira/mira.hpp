#pragma once
// The Mira multi-network API (mira-network-api.md), default port 8400.

#include <memory>

#include "dialects/dialect.hpp"
#include "dialects/mira/deps.hpp"
#include "dialects/mira/info.hpp"
#include "http/error_renderer.hpp"
#include "http/site.hpp"

namespace atrium::dialects::mira {

// Errors as {"error": {"code", "message", "details": {..., "timestamp"}, "request_id"}}.
std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer(const core::Clock& clock);
void AddRoutes(http::Site& site, const Deps& services);
// The module app/ lists (dialect.cpp); `deps` is copied (its references are kept).
std::unique_ptr<Dialect> MakeDialect(const Deps& deps);

}  // namespace atrium::dialects::mira
