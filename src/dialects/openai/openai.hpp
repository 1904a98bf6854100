#pragma once
// An OpenAI-compatible front door (default port 8080): POST /v1/chat/completions
// (streamed or not), GET /v1/models, POST /v1/embeddings, so any OpenAI SDK or tool
// can use Atrium as its gateway. Authenticated with Atrium API keys or access tokens;
// every call is accounted to that user (token counters, token limit, rate limit), and
// chats are stored as conversations.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>

#include "dialects/common/guards.hpp"
#include "dialects/dialect.hpp"
#include "dialects/openai/deps.hpp"
#include "dialects/openai/info.hpp"
#include "http/error_renderer.hpp"
#include "http/result.hpp"
#include "http/site.hpp"

namespace atrium::dialects::openai {

// Errors as OpenAI sends them: {"error": {"message", "type", "param", "code"}}.
// `details` may carry "type" and "param" to override the defaults for the kind.
std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer();
void AddRoutes(http::Site& site, const Deps& services);
// The module app/ lists (dialect.cpp); `deps` is copied (its references are kept).
std::unique_ptr<Dialect> MakeDialect(const Deps& deps);

// Bearer authentication: an Atrium API key, or else a user's access token.
http::Result<core::identity::Principal> Authenticate(const CommonDeps& services, const http::Request& request);
// How this site admits requests: Authenticate, OpenAI's 429 message, and an address
// budget for failed keys.
GuardStyle Style();

// POST /v1/chat/completions
void AddChatRoutes(http::Site& site, const Deps& services);

// The error a core failure gives here (503 llm_unavailable, 429 rate_limit_exceeded,
// 429 insufficient_quota, 404 model_not_found, ...).
http::ApiError FromCore(const core::Error& error);
// The wire body of an error: {"error": {"message", "type", "param", "code"}}.
boost::json::object ErrorBody(const http::ApiError& error);
// A 400 invalid_request_error naming the parameter.
http::ApiError InvalidParam(std::string message, std::string param, std::string code = "invalid_value");
// A 400 invalid_type for a parameter of the wrong JSON type, worded as OpenAI words it:
// "Invalid type for 'n': expected an integer, but got a string instead."
http::ApiError WrongType(std::string param, std::string_view expected, const boost::json::value& got);

}  // namespace atrium::dialects::openai
