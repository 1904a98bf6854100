#pragma once
// The UnaMentis management API (unamentis-management-api.md), default port 8766.

#include <memory>

#include "dialects/services.hpp"
#include "http/error_renderer.hpp"
#include "http/site.hpp"

namespace atrium::dialects::unamentis {

inline constexpr const char* kName = "unamentis";
inline constexpr int kDefaultPort = 8766;

// Errors as {"error": "snake_code", "message": "...", "code": "UPPER_CODE", "details": {}}.
std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer();
void AddRoutes(http::Site& site, const Services& services);

// Routes for client logs: POST/GET/DELETE /api/logs.
void AddClientLogRoutes(http::Site& site, const Services& services);

// WS /ws: `connected` on open, `ping` -> `pong`.
void AddWebSocketRoutes(http::Site& site, const Services& services);

// Routes for accounts: /api/auth/register, login, refresh, logout, me, password,
// devices and sessions.
void AddAuthRoutes(http::Site& site, const Services& services);

}  // namespace atrium::dialects::unamentis
