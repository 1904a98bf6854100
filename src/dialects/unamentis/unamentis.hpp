#pragma once
// The UnaMentis management API (unamentis-management-api.md), default port 8766.

#include <memory>

#include "dialects/dialect.hpp"
#include "dialects/unamentis/deps.hpp"
#include "dialects/unamentis/info.hpp"
#include "http/error_renderer.hpp"
#include "http/site.hpp"

namespace atrium::dialects::unamentis {

// Errors as {"error": "snake_code", "message": "...", "code": "UPPER_CODE", "details": {}}.
std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer();
void AddRoutes(http::Site& site, const Deps& services);
// The module app/ lists (dialect.cpp); `deps` is copied (its references are kept).
std::unique_ptr<Dialect> MakeDialect(const Deps& deps);

// Routes for client logs: POST/GET/DELETE /api/logs.
void AddClientLogRoutes(http::Site& site, const Deps& services);

// Routes for the media core: /api/media/capabilities, diagrams and formulas
// (validate, render), maps (render, styles).
void AddMediaRoutes(http::Site& site, const Deps& services);

// WS /ws: `connected` on open, `ping` -> `pong`.
void AddWebSocketRoutes(http::Site& site, const Deps& services);

// Routes for accounts: /api/auth/register, login, refresh, logout, me, password,
// devices and sessions.
void AddAuthRoutes(http::Site& site, const Deps& services);

}  // namespace atrium::dialects::unamentis
