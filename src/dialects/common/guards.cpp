#include "dialects/common/guards.hpp"

#include "dialects/common/auth.hpp"
#include "dialects/common/rate_limit.hpp"

namespace atrium::dialects {

http::Handler PerAddress(const CommonDeps& services, core::ratelimit::RateRule rule, GuardStyle style,
                         http::Handler handler) {
  return [&services, rule = std::move(rule), style = std::move(style),
          handler = std::move(handler)](http::Request& req) -> http::Reply {
    return Limited(services, rule, "ip:" + req.client_address, style.window_header, style.rate_message,
                   [&] { return handler(req); });
  };
}

http::Handler PerUser(const CommonDeps& services, core::ratelimit::RateRule rule, GuardStyle style,
                      UserHandler handler) {
  return [&services, rule = std::move(rule), style = std::move(style),
          handler = std::move(handler)](http::Request& req) -> http::Reply {
    auto who = style.authenticate ? style.authenticate(services, req) : AuthenticateUser(services, req);
    if (!who) {
      if (!style.anonymous) return std::move(who).error();
      return Limited(services, *style.anonymous, "ip:" + req.client_address, style.window_header, style.rate_message,
                     [&]() -> http::Reply { return std::move(who).error(); });
    }
    const auto& principal = *who;
    return Limited(services, rule, "user:" + principal.user_id, style.window_header, style.rate_message,
                   [&] { return handler(req, principal); });
  };
}

}  // namespace atrium::dialects
