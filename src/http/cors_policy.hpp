#pragma once
// Cross-origin rules for one site. Origins are matched exactly against an allowlist;
// "*" allows any origin but then credentials are never allowed (browsers reject the
// combination, and it would be unsafe).

#include <string>
#include <vector>

#include "http/method.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace atrium::http {

struct CorsOptions {
  std::vector<std::string> allowed_origins;
  bool allow_credentials = true;
  std::string allowed_headers = "Authorization, Content-Type, X-Requested-With, X-Request-Id";
  std::string exposed_headers =
      "X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After";
  int max_age_seconds = 600;
};

class CorsPolicy {
 public:
  explicit CorsPolicy(CorsOptions options) : options_(std::move(options)) {}

  static bool IsPreflight(const Request& request);
  // For WebSocket upgrades: true without an Origin header (non-browser clients), else
  // when the origin is on the allowlist (or it is "*").
  bool OriginAllowed(const Request& request) const;
  // Adds CORS headers to an ordinary response when the request's Origin is allowed.
  void Decorate(const Request& request, Response& response) const;
  // The answer to a preflight for a path served with `allowed` methods.
  Response Preflight(const Request& request, const std::vector<Method>& allowed) const;

 private:
  // The value for Access-Control-Allow-Origin, or empty when the origin is not allowed.
  std::string AllowedOrigin(const Request& request) const;

  CorsOptions options_;
};

}  // namespace atrium::http
