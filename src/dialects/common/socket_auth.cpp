#include "dialects/common/socket_auth.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/identity/identity_service.hpp"
#include "core/identity/session_revocation.hpp"

namespace atrium::dialects {

http::Result<core::identity::Principal> AuthenticateSocket(const CommonDeps& services,
                                                           const http::socketio::Handshake& handshake) {
  const auto* token = handshake.auth.if_contains("token");
  std::string_view text = (token != nullptr && token->is_string()) ? std::string_view(token->as_string()) : "";
  if (text.size() > 7 && (text.starts_with("Bearer ") || text.starts_with("bearer "))) text.remove_prefix(7);
  if (text.empty()) {
    http::ApiError e = http::MakeError(http::ErrorKind::kUnauthorized, "Authentication required");
    e.reason = core::Reason::kMissingToken;
    return e;
  }
  auto principal = services.identity.Authenticate(text);
  if (!principal) return http::FromCoreError(principal.error());
  return std::move(*principal);
}

http::socketio::Identity SocketIdentity(const CommonDeps& services, const core::identity::Principal& principal) {
  http::socketio::Identity identity{principal.user_id, {{"session_id", principal.session_id}}, principal, std::nullopt};
  if (auto left = core::identity::ExpiresInMs(principal, services.clock.Now())) {
    identity.expires_in = std::chrono::milliseconds(*left);
  }
  identity.still_valid = [&accounts = services.identity, principal] { return accounts.CheckStanding(principal).ok(); };
  return identity;
}

}  // namespace atrium::dialects
