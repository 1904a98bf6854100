#pragma once
// How unamentis admits a request: the spec's token-bucket limits ("Rate Limiting") and
// bearer authentication. Every limited reply, success or error, carries
// X-RateLimit-Limit, -Remaining, -Reset and -Window; a refusal is the spec's 429 body
// {"error": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED", "retry_after": N}
// with Retry-After. GET /health is not limited.

#include <chrono>
#include <functional>
#include <string>

#include "core/identity/user.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "dialects/common/guards.hpp"
#include "dialects/unamentis/deps.hpp"
#include "http/handler.hpp"
#include "http/result.hpp"

namespace atrium::dialects::unamentis {

// The spec's table. Buckets are keyed "ip:<client address>" before sign-in and
// "user:<id>" after. The rules that guard credentials (login, register, password) fail
// closed when the limiter is unreachable; the others fail open.
struct RateRules {
  core::ratelimit::RateRule login{"unamentis.login", 5, std::chrono::seconds(60), 5, core::FailMode::kClosed};
  core::ratelimit::RateRule reg{"unamentis.register", 3, std::chrono::seconds(3600), 3, core::FailMode::kClosed};
  core::ratelimit::RateRule refresh{"unamentis.refresh", 60, std::chrono::seconds(60), 10};
  core::ratelimit::RateRule authenticated{"unamentis.authenticated", 1000, std::chrono::seconds(60), 100};
  core::ratelimit::RateRule unauthenticated{"unamentis.unauthenticated", 100, std::chrono::seconds(60), 20};
  // Not in the spec's table: changing the password checks the current one, so it gets
  // the login limit (per user) rather than the general one.
  core::ratelimit::RateRule password{"unamentis.password", 5, std::chrono::seconds(60), 5, core::FailMode::kClosed};
};

using UserHandler = dialects::UserHandler;

// The rate-limit key of the request's client address.
std::string AddressKey(const http::Request& request);

// Runs `run` when (rule, key) has a token and adds the rate headers to its reply;
// otherwise answers 429 without running it.
http::Reply Limited(const Deps& services, const core::ratelimit::RateRule& rule, const std::string& key,
                    const std::function<http::Reply()>& run);

// The bearer access token's principal. Errors: 401 `unauthorized` when there is no
// token; otherwise the core's reason (invalid_token, token_expired, session_revoked,
// account_inactive), mapped by AuthError.
http::Result<core::identity::Principal> Authenticate(const CommonDeps& services, const http::Request& request);

// A route open to anyone, limited per client address under `rule`.
http::Handler ByAddress(const Deps& services, core::ratelimit::RateRule rule, http::Handler handler);

// A route that needs an access token, limited per user under `rule`. A request whose
// token is missing or fails is answered 401 and counts against `anonymous` for its
// address, so bad tokens cannot be tried without limit.
http::Handler ForUser(const Deps& services, core::ratelimit::RateRule rule, core::ratelimit::RateRule anonymous,
                      UserHandler handler);

// A core identity failure in unamentis terms. The spec documents one code for an
// account that may not sign in (401 account_inactive), so a banned account answers
// that too (message "Account is banned"); missing devices, sessions and users are the
// spec's `not_found`. Everything else keeps the core's reason as its code.
http::ApiError AuthError(const core::Error& error);

}  // namespace atrium::dialects::unamentis
