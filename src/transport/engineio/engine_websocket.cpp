// Engine.IO over WebSocket: a session of its own (the open packet is the first frame),
// or the upgrade of a polling session ("2probe" -> "3probe", then "5").

#include <boost/beast/websocket.hpp>

#include "http/socketio/engineio_packet.hpp"
#include "transport/engineio/engine_endpoint.hpp"
#include "transport/http/read_deadline.hpp"

namespace atrium::transport {

namespace eio = http::engineio;
namespace websocket = beast::websocket;

namespace {

using WsStream = websocket::stream<beast::tcp_stream&>;

asio::awaitable<bool> WriteText(WsStream& ws, const std::string& text) {
  ws.text(true);
  auto [ec, n] = co_await ws.async_write(asio::buffer(text), asio::as_tuple(asio::use_awaitable));
  (void)n;
  co_return !ec;
}

// The probe phase of an upgrade. True once the client sent "5".
asio::awaitable<bool> Probe(WsStream& ws, beast::tcp_stream& tcp, EngineSession& session) {
  ReadDeadline deadline(tcp.socket());
  deadline.Arm(std::chrono::steady_clock::now() + session.options().upgrade_timeout);
  for (;;) {
    beast::flat_buffer message;
    auto [ec, n] = co_await ws.async_read(message, asio::as_tuple(asio::use_awaitable));
    (void)n;
    if (ec || !ws.got_text()) co_return false;
    const std::string_view frame(static_cast<const char*>(message.data().data()), message.size());
    if (frame == "2probe") {
      if (!co_await WriteText(ws, "3probe")) co_return false;
      continue;
    }
    if (frame == "5") co_return true;
    co_return false;  // anything else before the upgrade completes ends the probe
  }
}

}  // namespace

asio::awaitable<void> RunEngineWebSocket(Server::Impl& server, beast::tcp_stream& tcp, SessionControl& control,
                                         beast::http::request<beast::http::string_body> upgrade,
                                         EngineRegistry& registry, std::shared_ptr<EngineSession> existing,
                                         const http::Request& request) {
  const eio::Options& options = registry.route().options;
  WsStream ws(tcp);
  tcp.expires_never();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = server.options.write_timeout;
  // Engine.IO's own heartbeat detects dead peers; this only catches a silent socket.
  timeouts.idle_timeout = options.ping_interval + 2 * options.ping_timeout;
  timeouts.keep_alive_pings = false;
  ws.set_option(timeouts);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "atrium"); }));
  ws.read_message_max(options.max_payload);
  ws.auto_fragment(false);

  boost::system::error_code accept_ec;
  {
    // The upgrade request is not needed once accepted: it is not kept for the session.
    auto request_held = std::make_unique<beast::http::request<beast::http::string_body>>(std::move(upgrade));
    std::tie(accept_ec) = co_await ws.async_accept(*request_held, asio::as_tuple(asio::use_awaitable));
  }
  if (accept_ec) co_return;

  auto executor = co_await asio::this_coro::executor;
  auto wakeup = std::make_shared<Wakeup>(executor);
  std::shared_ptr<EngineSession> session;
  if (existing) {
    if (!existing->BeginUpgrade()) {
      co_await ws.async_close(websocket::close_code::policy_error, asio::as_tuple(asio::use_awaitable));
      co_return;
    }
    if (!co_await Probe(ws, tcp, *existing)) {
      existing->AbortUpgrade();
      boost::system::error_code ignored;
      tcp.socket().close(ignored);
      co_return;
    }
    existing->CompleteUpgrade(wakeup);
    session = std::move(existing);
  } else {
    const auto& route = registry.route();
    session = std::make_shared<EngineSession>(route.make_id(), options, EngineTransport::kWebSocket,
                                              route.accept(request), executor, server.pool, registry);
    if (!registry.Insert(session)) {
      co_await ws.async_close(websocket::close_code::try_again_later, asio::as_tuple(asio::use_awaitable));
      co_return;
    }
    if (!co_await WriteText(ws, session->OpenPacket())) {
      session->Close("transport close");
      co_return;
    }
    session->SetWebSocketWriter(wakeup);
    session->Start();
  }

  // The writer drains the session's queue; it must end before this frame does.
  bool writer_done = false;
  bool reader_done = false;
  asio::co_spawn(
      executor,
      [&]() -> asio::awaitable<void> {
        for (;;) {
          bool closed = false;
          auto batch = session->TakeForWebSocket(closed);
          bool failed = false;
          for (auto& p : batch) {
            std::string text;
            if (!p.binary) text = eio::EncodeText(p);
            ws.binary(p.binary);
            const std::string& data = p.binary ? p.data : text;
            auto [ec, n] = co_await ws.async_write(asio::buffer(data), asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (ec) {
              failed = true;
              break;
            }
          }
          if (failed || reader_done) break;
          if (closed) {
            co_await ws.async_close(websocket::close_code::normal, asio::as_tuple(asio::use_awaitable));
            break;
          }
          if (batch.empty()) co_await wakeup->Wait(std::chrono::milliseconds(60000));
        }
        writer_done = true;
        wakeup->Notify();
      },
      asio::detached);

  control.idle = true;  // at shutdown the registry closes the session; the socket may be cut
  std::string reason = "transport close";
  for (;;) {
    beast::flat_buffer message;
    auto [ec, n] = co_await ws.async_read(message, asio::as_tuple(asio::use_awaitable));
    (void)n;
    if (ec) {
      if (ec == websocket::error::message_too_big) reason = "transport error";
      break;
    }
    const std::string_view data(static_cast<const char*>(message.data().data()), message.size());
    if (ws.got_text()) {
      auto packet = eio::DecodeText(data);
      if (!packet) {
        session->Close("transport error");
        continue;  // the writer closes the WebSocket; keep reading until it is done
      }
      session->OnPacket(std::move(*packet));
    } else {
      session->OnPacket({eio::PacketType::kMessage, std::string(data), true});
    }
  }
  control.idle = false;
  reader_done = true;
  session->Close(reason);
  wakeup->Notify();
  if (!writer_done) {
    boost::system::error_code ignored;
    tcp.socket().cancel(ignored);
  }
  while (!writer_done) co_await wakeup->Wait(std::chrono::milliseconds(50));
}

}  // namespace atrium::transport
