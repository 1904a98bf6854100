#include "http/cors_policy.hpp"

#include <algorithm>

namespace atrium::http {

bool CorsPolicy::IsPreflight(const Request& request) {
  return request.method == Method::kOptions && request.headers.Has("Origin") &&
         request.headers.Has("Access-Control-Request-Method");
}

std::string CorsPolicy::AllowedOrigin(const Request& request) const {
  const auto origin = request.headers.Get("Origin");
  if (!origin) return {};
  const auto& list = options_.allowed_origins;
  if (std::find(list.begin(), list.end(), *origin) != list.end()) return std::string(*origin);
  if (std::find(list.begin(), list.end(), "*") != list.end()) return "*";
  return {};
}

bool CorsPolicy::OriginAllowed(const Request& request) const {
  return !request.headers.Has("Origin") || !AllowedOrigin(request).empty();
}

void CorsPolicy::Decorate(const Request& request, Response& response) const {
  if (!request.headers.Has("Origin")) return;
  if (!response.headers.Has("Vary")) response.headers.Add("Vary", "Origin");
  const std::string allowed = AllowedOrigin(request);
  if (allowed.empty()) return;
  response.headers.Set("Access-Control-Allow-Origin", allowed);
  if (options_.allow_credentials && allowed != "*") response.headers.Set("Access-Control-Allow-Credentials", "true");
  if (!options_.exposed_headers.empty())
    response.headers.Set("Access-Control-Expose-Headers", options_.exposed_headers);
}

Response CorsPolicy::Preflight(const Request& request, const std::vector<Method>& allowed) const {
  Response r = Response::Empty(204);
  r.headers.Add("Vary", "Origin");
  const std::string origin = AllowedOrigin(request);
  if (origin.empty()) return r;  // no CORS headers: the browser blocks the real request
  std::string methods;
  for (Method m : allowed) {
    if (!methods.empty()) methods += ", ";
    methods += MethodName(m);
  }
  r.headers.Set("Access-Control-Allow-Origin", origin);
  if (options_.allow_credentials && origin != "*") r.headers.Set("Access-Control-Allow-Credentials", "true");
  r.headers.Set("Access-Control-Allow-Methods", methods);
  r.headers.Set("Access-Control-Allow-Headers", options_.allowed_headers);
  r.headers.Set("Access-Control-Max-Age", std::to_string(options_.max_age_seconds));
  return r;
}

}  // namespace atrium::http
