#include "dialects/unichat/unichat_context.hpp"

#include "dialects/common/guards.hpp"

namespace atrium::dialects::unichat {

http::ApiError ToApiError(const core::Error& error) {
  http::ApiError e = http::FromCoreError(error);
  const std::string& reason = error.reason();
  if (reason == "invalid_credentials") e.message = "Invalid email or password";
  if (reason == "account_banned") e.message = "Account banned";
  if (reason == "email_exists") e.message = "Email already registered";
  if (reason == "token_limit_exceeded") {  // the spec's "429 - Token limit reached"
    e = http::MakeError(http::ErrorKind::kRateLimited, "Token limit reached");
    e.reason = reason;
  }
  return e;
}

http::Handler Context::Public(const core::ratelimit::RateRule& rule, http::Handler handler) const {
  return PerAddress(services_, rule, {}, std::move(handler));
}

http::Handler Context::Authed(const core::ratelimit::RateRule& rule, AuthedHandler handler) const {
  return PerUser(services_, rule, {}, std::move(handler));
}

http::Handler Context::Admin(const core::ratelimit::RateRule& rule, AuthedHandler handler) const {
  return Authed(rule, [handler = std::move(handler)](http::Request& req, const core::identity::Principal& who) {
    if (who.role != core::identity::Role::kAdmin) {
      return http::Reply{http::MakeError(http::ErrorKind::kForbidden, "Admin access required")};
    }
    return handler(req, who);
  });
}

}  // namespace atrium::dialects::unichat
