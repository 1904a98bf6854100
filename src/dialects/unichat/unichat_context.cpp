#include "dialects/unichat/unichat_context.hpp"

#include "dialects/common/auth.hpp"

namespace atrium::dialects::unichat {

http::ApiError ToApiError(const core::Error& error) {
  http::ApiError e = http::FromCoreError(error);
  const std::string& reason = error.reason();
  if (reason == "invalid_credentials") e.message = "Invalid email or password";
  if (reason == "account_banned") e.message = "Account banned";
  if (reason == "email_exists") e.message = "Email already registered";
  return e;
}

http::Handler Context::Public(const core::ratelimit::RateRule& rule, http::Handler handler) const {
  return [&services = services_, rule, handler = std::move(handler)](http::Request& req) -> http::Reply {
    return Limited(services, rule, "ip:" + req.client_address, false, "Rate limit exceeded",
                   [&] { return handler(req); });
  };
}

http::Handler Context::Authed(const core::ratelimit::RateRule& rule, AuthedHandler handler) const {
  return [&services = services_, rule, handler = std::move(handler)](http::Request& req) -> http::Reply {
    auto who = AuthenticateUser(services, req);
    if (auto* denied = std::get_if<http::ApiError>(&who)) {
      if (denied->reason == "missing_token") denied->message = "Authentication required";
      return std::move(*denied);
    }
    const auto& principal = std::get<core::identity::Principal>(who);
    return Limited(services, rule, "user:" + principal.user_id, false, "Rate limit exceeded",
                   [&] { return handler(req, principal); });
  };
}

}  // namespace atrium::dialects::unichat
