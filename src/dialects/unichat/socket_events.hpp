#pragma once
// Unichat's Socket.IO chat and arena events ("WebSocket Events" in uni-chat-api.md) on
// the main namespace. Every event of a turn goes to every socket of its user (the room
// named after the user's bus topic), so a user sees their own conversations on every
// device and nobody else's; a request's own mistakes (a missing message, an unknown
// config) go to the socket that sent it, as message_error / arena_message_error.

#include <memory>
#include <string_view>

#include "dialects/unichat/deps.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects::unichat {

// The OpaqueJson type prefix of a socket event published for another instance's sockets.
inline constexpr std::string_view kRemotePrefix = "unichat.";

// Emits one event to every socket of a user, through the namespace of the socket that
// asked (kept until the turn ends, even if that socket leaves meanwhile). When the bus
// is shared and the user may have sockets on another instance, each event is also
// published there (an OpaqueJson "unichat.<event>" on the user's topic), where the
// relay (socket_routes.cpp) emits it to them; the local sockets are never sent it twice.
class UserEmitter {
 public:
  UserEmitter(std::shared_ptr<http::socketio::Socket> via, core::events::EventBus& bus);
  void operator()(std::string_view event, boost::json::object payload) const;

 private:
  std::shared_ptr<http::socketio::Socket> via_;
  core::events::EventBus* bus_;
  std::string room_;
};

// send_message, stop_generation, regenerate_message.
void AddChatEvents(http::socketio::NamespaceHandlers& ns, const Deps& services);
// arena_send_message, arena_stop_generation.
void AddArenaEvents(http::socketio::NamespaceHandlers& ns, const Deps& services);

}  // namespace atrium::dialects::unichat
