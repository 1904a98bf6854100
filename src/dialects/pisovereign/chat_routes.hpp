#pragma once
// POST /v1/chat and POST /v1/chat/stream (chat_routes.cpp).

#include "dialects/pisovereign/deps.hpp"
#include "http/site.hpp"

namespace atrium::dialects::pisovereign {

void AddChatRoutes(http::Site& site, const Deps& services);

}  // namespace atrium::dialects::pisovereign
