#pragma once
// The Uni-Chat API (uni-chat-api.md), default port 5000.

#include <memory>

#include "dialects/dialect.hpp"
#include "dialects/unichat/deps.hpp"
#include "dialects/unichat/info.hpp"
#include "http/error_renderer.hpp"
#include "http/site.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects::unichat {

// Errors as {"error": "Error message description"}.
std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer();
void AddRoutes(http::Site& site, const Deps& services);
// The module app/ lists (dialect.cpp); `deps` is copied (its references are kept).
std::unique_ptr<Dialect> MakeDialect(const Deps& deps);

class Context;
// /api/auth/*
void AddAuthRoutes(http::Site& site, const Context& ctx);
// /api/users/profile, /api/users/settings
void AddUserRoutes(http::Site& site, const Context& ctx);
// /api/configs/* (with enhance-prompt), /api/gallery/*
void AddConfigRoutes(http::Site& site, const Context& ctx);
// /api/prompt-templates/*
void AddPromptTemplateRoutes(http::Site& site, const Context& ctx);
// /api/admin/*
void AddAdminRoutes(http::Site& site, const Context& ctx);
// /api/image-gen/*
void AddImageRoutes(http::Site& site, const Context& ctx);
// /api/arena/sessions*
void AddArenaRoutes(http::Site& site, const Context& ctx);
// /api/conversations/*
void AddConversationRoutes(http::Site& site, const Context& ctx);
// /api/chat/*
void AddChatRoutes(http::Site& site, const Context& ctx);
// /api/models/*
void AddModelRoutes(http::Site& site, const Context& ctx);
// /api/admin/analytics* (admins only)
void AddAnalyticsRoutes(http::Site& site, const Context& ctx);

// Socket.IO at /socket.io/ (namespace "/", token in the CONNECT auth payload). The
// returned server emits to sockets and rooms.
std::shared_ptr<http::socketio::Server> AddSocketRoutes(http::Site& site, const Deps& services);

}  // namespace atrium::dialects::unichat
