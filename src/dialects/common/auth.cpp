#include "dialects/common/auth.hpp"

#include "core/identity/api_keys.hpp"
#include "core/identity/identity_service.hpp"

namespace atrium::dialects {

namespace {

http::ApiError Missing(std::string message) {
  http::ApiError e = http::MakeError(http::ErrorKind::kUnauthorized, std::move(message));
  e.reason = core::Reason::kMissingToken;
  return e;
}

}  // namespace

http::Result<core::identity::Principal> AuthenticateUser(const CommonDeps& services, const http::Request& request) {
  const auto token = http::BearerToken(request);
  if (!token) return Missing("Authentication required");
  auto principal = services.identity.Authenticate(*token);
  if (!principal) return http::FromCoreError(principal.error());
  return std::move(*principal);
}

http::Result<core::identity::Principal> AuthenticateApiKey(const CommonDeps& services, const http::Request& request) {
  const auto token = http::BearerToken(request);
  if (!token) return Missing("Invalid or missing API key");
  auto principal = services.api_keys.Authenticate(*token);
  if (!principal) return http::FromCoreError(principal.error());
  return std::move(*principal);
}

}  // namespace atrium::dialects
