#pragma once
// Socket.IO authentication at CONNECT: the access token comes from the `auth` payload
// (`io(url, {auth: {token}})`), checked by the identity service like a bearer token.

#include <optional>
#include <string_view>
#include <utility>

#include "core/identity/user.hpp"
#include "dialects/common/deps.hpp"
#include "http/result.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects {

// The user behind `auth.token` (a "Bearer " prefix is tolerated). Missing or not a
// string: kUnauthorized with Reason::kMissingToken. Runs on a worker thread.
http::Result<core::identity::Principal> AuthenticateSocket(const CommonDeps& services,
                                                           const http::socketio::Handshake& handshake);

// The socket identity for an authenticated principal: its user id, {"session_id"} as
// data, and the session and its token's remaining lifetime, so the socket leaves the
// namespace when the session is revoked or the token expires.
http::socketio::Identity SocketIdentity(const CommonDeps& services, const core::identity::Principal& principal);

}  // namespace atrium::dialects
