#pragma once
// The Second Brain API (second-brain-api.md), default port 8000. Every route is served
// under /api and, as the spec's versioning section says, under /api/v1 as well.

#include <memory>

#include "dialects/dialect.hpp"
#include "dialects/secondbrain/deps.hpp"
#include "dialects/secondbrain/info.hpp"
#include "http/error_renderer.hpp"
#include "http/site.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects::secondbrain {

inline constexpr const char* kApiVersion = "1.0.0";

class Context;

// Errors as {"error": {"type", "message", "code", "details", "requestId", "timestamp"}};
// authentication failures get finer AUTH_00n codes from the core's reasons.
std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer(const core::Clock& clock);
// The spec's error type of `error` ("VALIDATION_ERROR", "LLM_ERROR", ...), as the body
// and the socket's `error` event name it.
std::string_view ErrorTypeOf(const http::ApiError& error);
void AddRoutes(http::Site& site, const Deps& services);
// The module app/ lists (dialect.cpp); `deps` is copied (its references are kept).
std::unique_ptr<Dialect> MakeDialect(const Deps& deps);

// /api/auth/register, login, refresh, logout.
void AddAuthRoutes(http::Site& site, const Context& ctx);
// /api/user/profile and /api/user/preferences.
void AddUserRoutes(http::Site& site, const Context& ctx);
// /api/chat, /api/conversations, /api/conversation/:id.
void AddChatRoutes(http::Site& site, const Context& ctx);
// /api/memory/save, /api/memory/recall, /api/search, /api/memory/:id.
void AddMemoryRoutes(http::Site& site, const Context& ctx);
// /api/conversation/:id/export and /downloads/:file.
void AddExportRoutes(http::Site& site, const Context& ctx);
// /api/voice.
void AddVoiceRoutes(http::Site& site, const Context& ctx);
// upload, documents, document/:id (details, delete), document/:id/reindex.
void AddDocumentRoutes(http::Site& site, const Context& ctx);
// /api/models, /api/models/switch and /api/stats.
void AddModelRoutes(http::Site& site, const Context& ctx);

// Socket.IO at /socket.io/ on the socket port's own site (dialects.secondbrain.socket_port).
// The returned server emits to sockets and rooms.
std::shared_ptr<http::socketio::Server> AddSocketRoutes(http::Site& site, const Deps& services);

}  // namespace atrium::dialects::secondbrain
