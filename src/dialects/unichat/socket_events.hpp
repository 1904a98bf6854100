#pragma once
// Unichat's Socket.IO chat and arena events ("WebSocket Events" in uni-chat-api.md) on
// the main namespace. Every event of a turn goes to every socket of its user (the room
// named after the user's bus topic), so a user sees their own conversations on every
// device and nobody else's; a request's own mistakes (a missing message, an unknown
// config) go to the socket that sent it, as message_error / arena_message_error.

#include <memory>
#include <string_view>

#include "dialects/common/user_emitter.hpp"
#include "dialects/unichat/deps.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects::unichat {

// The OpaqueJson type prefix of a socket event published for another instance's
// sockets (dialects/common/user_emitter.hpp).
inline constexpr std::string_view kRemotePrefix = "unichat.";

// send_message, stop_generation, regenerate_message.
void AddChatEvents(http::socketio::NamespaceHandlers& ns, const Deps& services);
// arena_send_message, arena_stop_generation.
void AddArenaEvents(http::socketio::NamespaceHandlers& ns, const Deps& services);

}  // namespace atrium::dialects::unichat
