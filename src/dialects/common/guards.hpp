#pragma once
// How a dialect admits a request: bearer authentication and a rate rule per client
// address or per user. One implementation; each dialect passes its style (its limit
// headers, its authenticator, whether failed tokens spend an address budget).

#include <functional>
#include <optional>
#include <string>

#include "core/identity/user.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "dialects/common/deps.hpp"
#include "http/handler.hpp"
#include "http/result.hpp"

namespace atrium::dialects {

using UserHandler = std::function<http::Reply(http::Request&, const core::identity::Principal&)>;
using Authenticator = std::function<http::Result<core::identity::Principal>(const CommonDeps&, const http::Request&)>;

struct GuardStyle {
  bool window_header = false;  // also send X-RateLimit-Window
  std::string rate_message = "Rate limit exceeded";
  Authenticator authenticate;  // empty: AuthenticateUser (access tokens)
  // When set, a request whose token is missing or fails is answered with that error and
  // counted against this rule for its address, so tokens cannot be guessed without limit.
  std::optional<core::ratelimit::RateRule> anonymous;
};

// A route open to anyone, limited by `rule` per client address.
http::Handler PerAddress(const CommonDeps& services, core::ratelimit::RateRule rule, GuardStyle style,
                         http::Handler handler);
// A route that needs a principal, limited by `rule` per user.
http::Handler PerUser(const CommonDeps& services, core::ratelimit::RateRule rule, GuardStyle style,
                      UserHandler handler);

}  // namespace atrium::dialects
