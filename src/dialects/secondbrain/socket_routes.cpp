// Socket.IO on the socket port (second-brain-api.md, "WebSocket Events"): namespace
// "/", authenticated at CONNECT with `auth: {token}`. A refused CONNECT carries the
// spec's AUTH_ERROR code; a connected socket joins its user's bus topic, whose events
// are relayed under the spec's event names.

#include <boost/json.hpp>

#include "core/events/event_bus.hpp"
#include "dialects/common/socket_auth.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "dialects/settings.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
namespace sio = http::socketio;

// Neutral bus event types and the spec's names for them.
constexpr std::pair<std::string_view, std::string_view> kRelayed[] = {
    {"message.thinking", "chat:thinking"}, {"message.delta", "chat:response"}, {"message.done", "chat:response"},
    {"memory.updated", "memory:updated"},  {"message.error", "error"},
};

std::optional<sio::RelayedEvent> Relay(const core::events::Event& event) { return RelayByTable(kRelayed, event); }

}  // namespace

std::shared_ptr<sio::Server> AddSocketRoutes(http::Site& site, const Deps& services) {
  auto server = std::make_shared<sio::Server>(services.settings.socketio, site.random(), services.events);
  sio::NamespaceHandlers main;
  main.authenticate = [&services](const sio::Handshake& handshake) -> sio::AuthResult {
    auto who = AuthenticateSocket(services, handshake);
    if (auto* e = std::get_if<http::ApiError>(&who)) {
      return sio::Refusal{e->message, json::object{{"code", "AUTH_ERROR"}}};
    }
    return SocketIdentity(services, std::get<core::identity::Principal>(who));
  };
  main.on_connect = [](sio::Socket& socket) { socket.Join(core::events::topics::User(socket.identity().user_id)); };
  main.relay = Relay;
  server->AddNamespace("/", std::move(main));
  site.AddEngineIo("/socket.io/", server->MakeRoute());
  return server;
}

}  // namespace atrium::dialects::secondbrain
