// Socket.IO at /socket.io/ (uni-chat-api.md, "WebSocket Events"): namespace "/",
// authenticated at CONNECT with `auth: {token}`. A connected socket hears
// `authenticated` {"user_id"} and joins its user's bus topic, whose events are relayed
// under the spec's event names.

#include <boost/json.hpp>

#include "core/events/event_bus.hpp"
#include "dialects/common/socket_auth.hpp"
#include "dialects/settings.hpp"
#include "dialects/unichat/socket_events.hpp"
#include "dialects/unichat/unichat.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
namespace sio = http::socketio;

// Bus events relayed under the spec's names. A chat turn's own events (message_start
// ... message_complete) are emitted by socket_chat.cpp from the turn itself, in order,
// with unichat's payloads; the bus brings what happens later or elsewhere: the title
// the core generates in the background. Every payload type is listed, so a new one is
// a decision here.
struct Relayer {
  using Out = std::optional<sio::RelayedEvent>;
  static Out Emit(std::string name, json::object payload) {
    return sio::RelayedEvent{std::move(name), {json::array{std::move(payload)}, {}}};
  }

  Out operator()(const core::chat::ConversationTitle& e) const {
    return Emit("title_updated", {{"conversation_id", e.conversation_id}, {"title", e.title}});
  }
  Out operator()(const core::chat::MessageStarted&) const { return std::nullopt; }  // from the turn itself
  Out operator()(const core::chat::MessageDelta&) const { return std::nullopt; }
  Out operator()(const core::chat::MessageDone&) const { return std::nullopt; }
  Out operator()(const core::chat::MessageError&) const { return std::nullopt; }
  Out operator()(const core::chat::TurnCancelRequested&) const { return std::nullopt; }  // never relayed
  Out operator()(const core::identity::SessionsRevoked&) const { return std::nullopt; }  // never relayed
  Out operator()(const core::logs::ClientLogReceived&) const { return std::nullopt; }
  Out operator()(const core::jobs::JobUpdated&) const { return std::nullopt; }
  Out operator()(const core::memory::MemoryChanged&) const { return std::nullopt; }
  Out operator()(const core::events::OpaqueJson&) const { return std::nullopt; }  // see Relay
};

std::optional<sio::RelayedEvent> Relay(const core::events::Event& event) {
  // A turn's socket events published on another instance for this instance's sockets of
  // its user (UserEmitter): emitted as they were there. The local copy of one published
  // here is never relayed: its sockets already had it.
  if (event.As<core::events::OpaqueJson>() != nullptr) return RelayRemoteCopy(event, kRemotePrefix);
  return std::visit(Relayer{}, event.payload);
}

}  // namespace

std::shared_ptr<sio::Server> AddSocketRoutes(http::Site& site, const Deps& services) {
  auto server = std::make_shared<sio::Server>(services.settings.socketio, site.random(), services.events);
  sio::NamespaceHandlers main;
  main.authenticate = [&services](const sio::Handshake& handshake) -> sio::AuthResult {
    auto who = AuthenticateSocket(services, handshake);
    if (!who) return sio::Refusal{who.error().message, std::nullopt};
    return SocketIdentity(services, *who);
  };
  main.on_connect = [](sio::Socket& socket) {
    socket.Join(core::events::topics::User(socket.identity().user_id));
    socket.Emit("authenticated", {json::array{json::object{{"user_id", socket.identity().user_id}}}, {}});
  };
  main.relay = Relay;
  AddChatEvents(main, services);
  AddArenaEvents(main, services);
  server->AddNamespace("/", std::move(main));
  site.AddEngineIo("/socket.io/", server->MakeRoute());
  return server;
}

}  // namespace atrium::dialects::unichat
