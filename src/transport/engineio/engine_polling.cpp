// Engine.IO over HTTP: the handshake, the request checks (the reference server's error
// codes and JSON bodies), long-polling GET and POST.

#include <array>

#include "http/socketio/engineio_packet.hpp"
#include "transport/engineio/engine_endpoint.hpp"

namespace atrium::transport {

namespace eio = http::engineio;

namespace {

// The reference server's error codes and messages.
enum EngineErrorCode {
  kUnknownTransport = 0,
  kUnknownSid = 1,
  kBadHandshakeMethod = 2,
  kBadRequest = 3,
  kForbidden = 4,
  kUnsupportedProtocolVersion = 5,
};

constexpr std::array<std::string_view, 6> kMessages = {
    "Transport unknown", "Session ID unknown", "Bad handshake method",
    "Bad request",       "Forbidden",          "Unsupported protocol version"};

http::Response EngineError(EngineErrorCode code) {
  return http::Response::Json(code == kForbidden ? 403 : 400, "{\"code\":" + std::to_string(code) + ",\"message\":\"" +
                                                                  std::string(kMessages[code]) + "\"}");
}

// Upgrade requests are refused the way the reference does it: the message as text.
http::Response UpgradeError(EngineErrorCode code) {
  return http::Response::Text(code == kForbidden ? 403 : 400, std::string(kMessages[code]), "text/html");
}

http::Response Payload(std::string body) {
  return http::Response::Text(200, std::move(body), "text/plain; charset=UTF-8");
}

asio::awaitable<http::Response> Poll(const std::shared_ptr<EngineSession>& session) {
  auto executor = co_await asio::this_coro::executor;
  // A GET that arrives while an upgrade is under way: the WebSocket's "5" may be on its
  // way on another thread. Wait a little (the reference checks every 100 ms) so a GET
  // sent after the upgrade is refused as one, not answered with a noop.
  if (session->upgrading()) {
    asio::steady_timer pause(executor);
    for (int i = 0; i < 10 && session->upgrading(); ++i) {
      pause.expires_after(std::chrono::milliseconds(10));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (session->transport() != EngineTransport::kPolling) co_return EngineError(kBadRequest);
  }
  auto wakeup = std::make_shared<Wakeup>(executor);
  if (!session->BeginPoll(wakeup)) {
    // A second GET while one is pending: the reference ends the session.
    session->Close("transport error");
    co_return EngineError(kBadRequest);
  }
  const auto bound = session->options().ping_interval + session->options().ping_timeout;
  for (;;) {
    if (auto answer = session->TakePollAnswer()) {
      session->EndPoll();
      co_return Payload(std::move(*answer));
    }
    co_await wakeup->Wait(std::chrono::duration_cast<std::chrono::milliseconds>(bound));
  }
}

http::Response Post(const std::shared_ptr<EngineSession>& session, const http::Request& request) {
  if (auto type = request.Header("Content-Type"); type && type->starts_with("application/octet-stream")) {
    session->Close("transport error");  // binary bodies are Engine.IO v3 only
    return EngineError(kBadRequest);
  }
  auto packets = eio::DecodePayload(request.body, session->options().max_payload);
  if (!packets) {
    session->Close("parse error");
    return EngineError(kBadRequest);
  }
  for (auto& packet : *packets) {
    const bool close = packet.type == eio::PacketType::kClose;
    if (!session->OnPacket(std::move(packet))) return EngineError(kBadRequest);
    if (close) break;
  }
  return http::Response::Text(200, "ok", "text/html");
}

}  // namespace

asio::awaitable<http::Response> ServeEnginePolling(Server::Impl& server, EngineRegistry& registry,
                                                   const http::Request& request) {
  const auto transport = request.QueryParam("transport");
  if (!transport || (*transport != "polling" && *transport != "websocket")) co_return EngineError(kUnknownTransport);
  const auto eio_version = request.QueryParam("EIO");
  if (const auto sid = request.QueryParam("sid")) {
    auto session = registry.Find(*sid);
    if (!session) co_return EngineError(kUnknownSid);
    if (*transport != "polling" || session->transport() != EngineTransport::kPolling) {
      co_return EngineError(kBadRequest);  // transport mismatch
    }
    if (eio_version != "4") co_return EngineError(kBadRequest);  // protocol mismatch
    if (request.method == http::Method::kGet) co_return co_await Poll(session);
    if (request.method == http::Method::kPost) {
      // A session kept for a poll that raced its close packet takes no more packets.
      if (session->closed()) co_return EngineError(kUnknownSid);
      co_return Post(session, request);
    }
    co_return EngineError(kBadRequest);
  }
  if (request.method != http::Method::kGet) co_return EngineError(kBadHandshakeMethod);
  if (*transport == "websocket") co_return EngineError(kBadRequest);  // a WebSocket handshake without upgrade
  if (eio_version != "4") co_return EngineError(kUnsupportedProtocolVersion);

  const auto& route = registry.route();
  auto session =
      std::make_shared<EngineSession>(route.make_id(), route.options, EngineTransport::kPolling, route.accept(request),
                                      co_await asio::this_coro::executor, server.pool, registry);
  if (!registry.Insert(session)) {
    http::Response busy = EngineError(kBadRequest);
    busy.status = 503;
    co_return busy;
  }
  std::string open = session->OpenPacket();
  session->Start();
  co_return Payload(std::move(open));
}

std::optional<http::Response> VerifyEngineUpgrade(EngineRegistry& registry, const http::Request& request,
                                                  std::shared_ptr<EngineSession>& existing) {
  const auto transport = request.QueryParam("transport");
  if (!transport || (*transport != "polling" && *transport != "websocket")) return UpgradeError(kUnknownTransport);
  if (*transport != "websocket") return UpgradeError(kBadRequest);
  const auto eio_version = request.QueryParam("EIO");
  if (const auto sid = request.QueryParam("sid")) {
    existing = registry.Find(*sid);
    if (!existing) return UpgradeError(kUnknownSid);
    // Already upgraded (or upgrading): like the reference, the WebSocket is accepted and
    // closed at once (RunEngineWebSocket), so the client sees a close, not a 400.
    if (!existing->options().allow_upgrades) return UpgradeError(kBadRequest);
    if (eio_version != "4") return UpgradeError(kBadRequest);
    return std::nullopt;
  }
  if (eio_version != "4") return UpgradeError(kUnsupportedProtocolVersion);
  existing = nullptr;
  return std::nullopt;
}

}  // namespace atrium::transport
