#pragma once
// POST /v1/chat and POST /v1/chat/stream (chat_routes.cpp).

#include "dialects/pisovereign/deps.hpp"
#include "http/site.hpp"

namespace atrium::dialects::pisovereign {

void AddChatRoutes(http::Site& site, const Deps& services);

// A core failure of a chat turn in pisovereign terms. The spec's LLM-unavailable answer
// is 503 SERVICE_UNAVAILABLE; a busy or rate-limited upstream is the same to a
// pisovereign client; a spent token budget is 429, an unknown model a 422 on `model`.
http::ApiError ChatError(const core::Error& error);

}  // namespace atrium::dialects::pisovereign
