// Socket.IO on the socket port (second-brain-api.md, "WebSocket Events"): namespace
// "/", authenticated at CONNECT with `auth: {token}`. A refused CONNECT carries the
// spec's AUTH_ERROR code; a connected socket joins its user's bus topic, whose events
// are relayed under the spec's event names.

#include <boost/json.hpp>

#include "core/events/event_bus.hpp"
#include "dialects/common/reason_code.hpp"
#include "dialects/common/socket_auth.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "dialects/settings.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
namespace sio = http::socketio;

// The neutral error code a failed turn shows when it has no finer reason.
std::string_view ErrorCodeText(core::ErrorCode code) {
  using C = core::ErrorCode;
  switch (code) {
    case C::kInvalidArgument:
      return "invalid_argument";
    case C::kNotFound:
      return "not_found";
    case C::kAlreadyExists:
      return "already_exists";
    case C::kUnauthenticated:
      return "unauthenticated";
    case C::kPermissionDenied:
      return "permission_denied";
    case C::kResourceExhausted:
      return "resource_exhausted";
    case C::kUnavailable:
      return "unavailable";
    case C::kInternal:
      return "internal";
  }
  return "internal";
}

// Bus events under the spec's names ("chat:response", "error"). Every payload type is
// listed, so a new one is a decision here.
struct Relayer {
  using Out = std::optional<sio::RelayedEvent>;
  static Out Emit(std::string name, json::object payload) {
    return sio::RelayedEvent{std::move(name), {json::array{std::move(payload)}, {}}};
  }

  Out operator()(const core::chat::MessageDelta& e) const {
    return Emit("chat:response",
                {{"conversation_id", e.conversation_id}, {"message_id", e.message_id}, {"delta", e.delta}});
  }
  Out operator()(const core::chat::MessageDone& e) const {
    json::object usage{{"prompt_tokens", e.usage.prompt_tokens},
                       {"completion_tokens", e.usage.completion_tokens},
                       {"total_tokens", e.usage.total_tokens}};
    json::object done{{"conversation_id", e.conversation_id},
                      {"message_id", e.message_id},
                      {"content", e.content},
                      {"status", core::chat::StatusName(e.status)},
                      {"model", e.model},
                      {"usage", std::move(usage)},
                      {"generation_ms", e.generation_ms}};
    done["cost_usd"] = e.cost_usd ? json::value(*e.cost_usd) : json::value(nullptr);
    return Emit("chat:response", std::move(done));
  }
  Out operator()(const core::chat::MessageError& e) const {
    const std::string_view reason = SnakeCaseReason(e.reason);
    return Emit("error", {{"conversation_id", e.conversation_id},
                          {"message_id", e.message_id},
                          {"code", reason.empty() ? ErrorCodeText(e.code) : reason},
                          {"message", e.message}});
  }
  Out operator()(const core::chat::MessageStarted&) const { return std::nullopt; }
  Out operator()(const core::chat::ConversationTitle&) const { return std::nullopt; }
  Out operator()(const core::chat::TurnCancelRequested&) const { return std::nullopt; }  // never relayed
  Out operator()(const core::identity::SessionsRevoked&) const { return std::nullopt; }  // never relayed
  Out operator()(const core::logs::ClientLogReceived&) const { return std::nullopt; }
  Out operator()(const core::jobs::JobUpdated&) const { return std::nullopt; }
  Out operator()(const core::memory::MemoryChanged&) const { return std::nullopt; }
  Out operator()(const core::events::OpaqueJson&) const { return std::nullopt; }
};

std::optional<sio::RelayedEvent> Relay(const core::events::Event& event) {
  return std::visit(Relayer{}, event.payload);
}

}  // namespace

std::shared_ptr<sio::Server> AddSocketRoutes(http::Site& site, const Deps& services) {
  auto server = std::make_shared<sio::Server>(services.settings.socketio, site.random(), services.events);
  sio::NamespaceHandlers main;
  main.authenticate = [&services](const sio::Handshake& handshake) -> sio::AuthResult {
    auto who = AuthenticateSocket(services, handshake);
    if (!who) return sio::Refusal{who.error().message, json::object{{"code", "AUTH_ERROR"}}};
    return SocketIdentity(services, *who);
  };
  main.on_connect = [](sio::Socket& socket) { socket.Join(core::events::topics::User(socket.identity().user_id)); };
  main.relay = Relay;
  server->AddNamespace("/", std::move(main));
  site.AddEngineIo("/socket.io/", server->MakeRoute());
  return server;
}

}  // namespace atrium::dialects::secondbrain
