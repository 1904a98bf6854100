#pragma once
// What unichat's handlers share: the core services, its rate rules and its password
// rule, and the guard that authenticates and rate-limits a request.

#include <functional>

#include "core/identity/password_policy.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "dialects/common/guards.hpp"
#include "dialects/common/rate_limit.hpp"
#include "dialects/unichat/deps.hpp"
#include "http/handler.hpp"

namespace atrium::dialects::unichat {

// The spec's limits, per user (per address before sign-in). auth fails closed when the
// limiter is unreachable (it guards passwords); chat and other fail open.
struct RateRules {
  core::ratelimit::RateRule auth{"unichat.auth", 5, std::chrono::seconds(60), 5, core::FailMode::kClosed};
  core::ratelimit::RateRule chat{"unichat.chat", 30, std::chrono::seconds(60), 30};
  core::ratelimit::RateRule other{"unichat.other", 60, std::chrono::seconds(60), 60};
};

// 8+ characters with an uppercase letter, a lowercase letter and a number.
inline const core::identity::PasswordPolicy kPasswordPolicy{8, 1024, true, true, true, false};

using AuthedHandler = UserHandler;  // from dialects/common/guards.hpp

// Handlers built here keep references to the Deps (which outlive every site), never
// to the Context itself.
class Context {
 public:
  explicit Context(const Deps& services) : services_(services) {}
  const Deps& services() const { return services_; }
  const RateRules& rules() const { return rules_; }

  // An unauthenticated route limited per client address.
  http::Handler Public(const core::ratelimit::RateRule& rule, http::Handler handler) const;
  // A route that needs an access token, limited per user.
  http::Handler Authed(const core::ratelimit::RateRule& rule, AuthedHandler handler) const;
  // Like Authed, for admins only: 403 for everyone else.
  http::Handler Admin(const core::ratelimit::RateRule& rule, AuthedHandler handler) const;

 private:
  const Deps& services_;
  RateRules rules_;
};

// Maps a core failure to unichat's status codes and messages (the user's token limit:
// 429 {"error": "Token limit reached"}).
http::ApiError ToApiError(const core::Error& error);

}  // namespace atrium::dialects::unichat
