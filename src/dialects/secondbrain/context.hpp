#pragma once
// What secondbrain's handlers share: route registration under /api and /api/v1, the
// spec's rate-limit table, the guards that rate-limit and authenticate a request, and
// the mapping of core failures to field-level error details.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "core/identity/password_policy.hpp"
#include "core/identity/user.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "dialects/common/guards.hpp"
#include "dialects/secondbrain/deps.hpp"
#include "http/handler.hpp"
#include "http/site.hpp"

namespace atrium::core::identity {
struct ClientContext;
}  // namespace atrium::core::identity

namespace atrium::dialects::secondbrain {

// The spec's "Limits by Endpoint Category". Authentication is keyed by client address
// ("ip:<addr>"), everything signed in by user ("user:<id>"). chat, voice, upload and
// memory are here for the endpoints that will use them. auth fails closed when the
// limiter is unreachable (it guards passwords); the others fail open.
struct RateRules {
  core::ratelimit::RateRule auth{"secondbrain.auth", 5, std::chrono::minutes(15), 0, core::FailMode::kClosed};
  core::ratelimit::RateRule chat{"secondbrain.chat", 100, std::chrono::minutes(1)};
  core::ratelimit::RateRule voice{"secondbrain.voice", 10, std::chrono::minutes(1)};
  core::ratelimit::RateRule upload{"secondbrain.upload", 10, std::chrono::hours(1)};
  core::ratelimit::RateRule memory{"secondbrain.memory", 100, std::chrono::minutes(1)};
  core::ratelimit::RateRule general{"secondbrain.general", 1000, std::chrono::hours(1)};
};

// 12+ characters with an uppercase letter, a lowercase letter, a number and a special
// character (the spec's registration rules).
inline const core::identity::PasswordPolicy kPasswordPolicy{12, 1024, true, true, true, true};

using AuthedHandler = UserHandler;  // from dialects/common/guards.hpp

// Registers `path` under /api and /api/v1 (the spec's versioning section says /v1 may
// be omitted).
void AddApi(http::Site& site, http::Method method, std::string_view path, http::Handler handler,
            http::RouteOptions options = {});

// Handlers built here keep references to the Deps (which outlive every site), never
// to the Context itself, so a Context may be a local of AddRoutes.
class Context {
 public:
  explicit Context(const Deps& services) : services_(services) {}
  const Deps& services() const { return services_; }
  const RateRules& rules() const { return rules_; }

  // A route open to anyone, limited by `rule` per client address. Every answer, the
  // handler's errors included, carries the X-RateLimit-* headers.
  http::Handler Public(const core::ratelimit::RateRule& rule, http::Handler handler) const;
  // A route that needs an access token, limited by `rule` per user. A request whose
  // token fails is answered 401 and counted against the general limit of its address.
  http::Handler Authed(const core::ratelimit::RateRule& rule, AuthedHandler handler) const;

 private:
  const Deps& services_;
  RateRules rules_;
};

// A 400 VALIDATION_ERROR naming the field: details {field} plus {value} when given
// (never pass a password as `value`).
http::ApiError FieldError(std::string_view field, std::string message,
                          std::optional<boost::json::value> value = std::nullopt);

// A core failure as a client error; conflicts and validation failures the core found
// get details.field ("email", "username", or `password_field` for weak passwords).
http::ApiError ToApiError(const core::Error& error, std::string_view password_field = "password");

// The signed-in client's context for sessions: address and User-Agent.
core::identity::ClientContext ClientOf(const http::Request& request);

// A stored RFC 3339 timestamp with milliseconds, as the spec shows them
// ("2026-01-04T10:00:00.000Z"); timestamps that already carry a fraction are kept.
std::string SpecTimestamp(std::string_view rfc3339);

}  // namespace atrium::dialects::secondbrain
