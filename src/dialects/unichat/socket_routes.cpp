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

// Neutral bus event types and the spec's names for them. Producers (chat streaming)
// publish to topics::User or topics::Conversation with these types.
// Neutral bus event types relayed under the spec's names. A chat turn's own events
// (message_start ... message_complete) are emitted by socket_chat.cpp from the turn
// itself, in order, with unichat's payloads; the bus brings what happens later or
// elsewhere: the title the core generates in the background.
constexpr std::pair<std::string_view, std::string_view> kRelayed[] = {
    {"conversation.title", "title_updated"},
};

std::optional<sio::RelayedEvent> Relay(const core::events::Event& event) { return RelayByTable(kRelayed, event); }

}  // namespace

std::shared_ptr<sio::Server> AddSocketRoutes(http::Site& site, const Deps& services) {
  auto server = std::make_shared<sio::Server>(services.settings.socketio, site.random(), services.events);
  sio::NamespaceHandlers main;
  main.authenticate = [&services](const sio::Handshake& handshake) -> sio::AuthResult {
    auto who = AuthenticateSocket(services, handshake);
    if (auto* e = std::get_if<http::ApiError>(&who)) return sio::Refusal{e->message, std::nullopt};
    return SocketIdentity(services, std::get<core::identity::Principal>(who));
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
