#include "dialects/common/socketio_echo.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/events/event_bus.hpp"
#include "dialects/settings.hpp"
#include "http/json_body.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects {

namespace {

namespace json = boost::json;
namespace sio = http::socketio;
namespace eio = http::engineio;

class EngineEcho final : public eio::Handler {
 public:
  void OnOpen(std::shared_ptr<eio::Connection> connection) override { connection_ = std::move(connection); }
  void OnText(std::string_view text) override { connection_->SendText(std::string(text)); }
  void OnBinary(std::string_view bytes) override { connection_->SendBinary(std::string(bytes)); }
  void OnClose(std::string_view) override { connection_.reset(); }

 private:
  std::shared_ptr<eio::Connection> connection_;
};

std::optional<std::string> StringArg(const sio::Message& m, std::size_t i) {
  if (m.args.size() <= i || !m.args[i].is_string()) return std::nullopt;
  return std::string(m.args[i].as_string());
}

sio::NamespaceHandlers EchoNamespace(const CommonDeps& services) {
  sio::NamespaceHandlers ns;
  // Like the reference test server, the CONNECT answer is followed by an "auth" event.
  // It is sent a moment later, in a write of its own: the protocol suite listens for one
  // message at a time, and `ws` hands over every frame of one read at once, so a second
  // frame that came with the first (Atrium writes everything queued together) would be
  // missed.
  ns.on_connect = [](sio::Socket& socket) {
    socket.After(std::chrono::milliseconds(5), [self = socket.Self()] {
      self->Emit("auth", {json::array{self->handshake().auth}, {}});
    });
  };
  ns.events["message"] = [](sio::Socket& socket, sio::Message message, sio::Ack) {
    socket.Emit("message-back", std::move(message));
  };
  ns.events["message-with-ack"] = [](sio::Socket&, sio::Message message, sio::Ack ack) {
    if (ack) ack(std::move(message));
  };
  ns.events["ping"] = [](sio::Socket&, sio::Message, sio::Ack ack) {
    if (ack) ack({json::array{"pong"}, {}});
  };
  ns.events["join"] = [](sio::Socket& socket, sio::Message message, sio::Ack ack) {
    const auto name = StringArg(message, 0);
    if (name) socket.Join(core::events::topics::Broadcast(*name));
    if (ack) ack({json::array{name ? "ok" : "error"}, {}});
  };
  ns.events["publish"] = [&services](sio::Socket&, sio::Message message, sio::Ack ack) {
    const auto name = StringArg(message, 0);
    const auto type = StringArg(message, 1);
    bool ok = name && type && message.args.size() >= 3;
    if (ok) {
      ok = services.events
               .Publish({{core::events::topics::Broadcast(*name)},
                         core::events::OpaqueJson{*type, http::ToJsonText(message.args[2])}})
               .ok();
    }
    if (ack) ack({json::array{ok ? "ok" : "error"}, {}});
  };
  // For benchmarks: `broadcast` [count, payload] emits `tick` payload count times to
  // every socket of the namespace, then acks.
  ns.events["broadcast"] = [](sio::Socket& socket, sio::Message message, sio::Ack ack) {
    const bool valid = message.args.size() >= 2 && message.args[0].is_int64();
    const std::int64_t count = valid ? std::clamp<std::int64_t>(message.args[0].as_int64(), 0, 100000) : 0;
    const sio::Message tick{json::array{message.args.size() >= 2 ? message.args[1] : json::value()}, {}};
    for (std::int64_t i = 0; i < count; ++i) socket.EmitToNamespace("tick", tick);
    if (ack) ack({json::array{count}, {}});
  };
  ns.events["leave-namespace"] = [](sio::Socket& socket, sio::Message, sio::Ack) { socket.Disconnect(); };
  ns.fallback = [](sio::Socket&, sio::Message message, sio::Ack ack) {
    if (ack) ack(std::move(message));
  };
  // Broadcast rooms carry what clients published: relayed under its own name.
  ns.relay = [](const core::events::Event& event) -> std::optional<sio::RelayedEvent> {
    const auto* opaque = event.As<core::events::OpaqueJson>();
    if (opaque == nullptr) return std::nullopt;
    boost::system::error_code ec;
    json::value payload = json::parse(opaque->json, ec);
    if (ec) return std::nullopt;
    return sio::RelayedEvent{opaque->type, {json::array{std::move(payload)}, {}}};
  };
  return ns;
}

}  // namespace

void AddSocketIoEchoRoutes(http::Site& site, const CommonDeps& services) {
  const sio::ServerOptions& options = services.settings.socketio;
  eio::Route engine;
  engine.options = options.engine;
  engine.accept = [](const http::Request&) { return std::make_unique<EngineEcho>(); };
  // The echo server's own ids; reusing its generator keeps one source of randomness.
  auto server = std::make_shared<sio::Server>(options, site.random(), services.events);
  server->AddNamespace("/", EchoNamespace(services));
  server->AddNamespace("/custom", EchoNamespace(services));
  eio::Route socketio = server->MakeRoute();
  engine.make_id = socketio.make_id;
  site.AddEngineIo("/__atrium/echo/engine.io/", std::move(engine));
  site.AddEngineIo("/__atrium/echo/socket.io/", std::move(socketio));
}

}  // namespace atrium::dialects
