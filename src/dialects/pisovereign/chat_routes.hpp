#pragma once
// POST /v1/chat and POST /v1/chat/stream (chat_routes.cpp).

#include "dialects/services.hpp"
#include "http/site.hpp"

namespace atrium::dialects::pisovereign {

void AddChatRoutes(http::Site& site, const Services& services);

}  // namespace atrium::dialects::pisovereign
