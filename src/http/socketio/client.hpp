#pragma once
// Internal to the Socket.IO server: the Engine.IO handler of one session, which decodes
// Socket.IO packets and routes them to the session's namespace sockets.

#include <memory>

#include "http/socketio/server.hpp"

namespace atrium::http::socketio {

std::unique_ptr<engineio::Handler> MakeClient(std::shared_ptr<Server::Shared> server, const Request& handshake);

// A random id of 20 URL-safe characters (engine sids and socket ids).
std::string RandomId(core::Random& random);

}  // namespace atrium::http::socketio
