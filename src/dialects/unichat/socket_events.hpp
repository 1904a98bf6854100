#pragma once
// Unichat's Socket.IO chat and arena events ("WebSocket Events" in uni-chat-api.md) on
// the main namespace. Every event of a turn goes to every socket of its user (the room
// named after the user's bus topic), so a user sees their own conversations on every
// device and nobody else's; a request's own mistakes (a missing message, an unknown
// config) go to the socket that sent it, as message_error / arena_message_error.

#include <memory>

#include "dialects/unichat/deps.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects::unichat {

// Emits one event to every socket of a user, through the namespace of the socket that
// asked (kept until the turn ends, even if that socket leaves meanwhile).
class UserEmitter {
 public:
  explicit UserEmitter(std::shared_ptr<http::socketio::Socket> via);
  void operator()(std::string_view event, boost::json::object payload) const;

 private:
  std::shared_ptr<http::socketio::Socket> via_;
  std::string room_;
};

// send_message, stop_generation, regenerate_message.
void AddChatEvents(http::socketio::NamespaceHandlers& ns, const Deps& services);
// arena_send_message, arena_stop_generation.
void AddArenaEvents(http::socketio::NamespaceHandlers& ns, const Deps& services);

}  // namespace atrium::dialects::unichat
