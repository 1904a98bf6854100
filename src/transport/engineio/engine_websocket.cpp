// Engine.IO over WebSocket: a session of its own (the open packet is the first frame),
// or the upgrade of a polling session ("2probe" -> "3probe", then "5").

#include <sys/socket.h>

#include <algorithm>
#include <boost/beast/websocket.hpp>
#include <cerrno>

#include "http/socketio/engineio_packet.hpp"
#include "transport/engineio/engine_endpoint.hpp"
#include "transport/engineio/ws_frames.hpp"
#include "transport/http/read_deadline.hpp"

namespace atrium::transport {

namespace eio = http::engineio;
namespace websocket = beast::websocket;

namespace {

using WsStream = websocket::stream<beast::tcp_stream&>;
using wsframe::Event;

// Writes `out` (whole frames). The bytes are first offered to the socket at once: most
// writes fit its send buffer whole and cost one system call, no timer, no suspension.
// The rest waits with the server's write timeout: a client that stops reading is cut
// off, not waited for.
asio::awaitable<bool> WriteAll(Server::Impl& server, beast::tcp_stream& tcp, const std::string& out) {
  std::size_t sent = 0;
  const ssize_t n = ::send(tcp.socket().native_handle(), out.data(), out.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n >= 0) {
    sent = static_cast<std::size_t>(n);
  } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
    co_return false;
  }
  if (sent == out.size()) co_return true;
  tcp.expires_after(server.options.write_timeout);
  auto [ec, written] = co_await asio::async_write(tcp, asio::buffer(out.data() + sent, out.size() - sent),
                                                  asio::as_tuple(asio::use_awaitable));
  (void)written;
  tcp.expires_never();
  co_return !ec;
}

// Waits for bytes and parses them. False when the connection ended (error, EOF or
// cancelled). The read buffer exists only while there are bytes to read: an idle
// connection holds none.
asio::awaitable<bool> ReadEvents(tcp::socket& socket, wsframe::Reader& reader, std::vector<Event>& events) {
  auto [wait_ec] = co_await socket.async_wait(tcp::socket::wait_read, asio::as_tuple(asio::use_awaitable));
  if (wait_ec) co_return false;
  boost::system::error_code ec;
  const std::size_t available = socket.available(ec);
  if (ec) co_return false;
  std::string bytes(std::clamp<std::size_t>(available, 1, 64 * 1024), '\0');
  const std::size_t n = socket.read_some(asio::buffer(bytes), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) co_return true;
  if (ec) co_return false;
  bytes.resize(n);
  reader.Feed(bytes, events);
  co_return true;
}

// The probe phase of an upgrade. True once the client sent "5"; events after it stay
// in `events` for the session. Answers to what came with the "5" in the same read (its
// "3probe") are left in `answer`, to be written once the upgrade is complete: a poll
// that races the "5" then already finds the session upgraded.
asio::awaitable<bool> Probe(Server::Impl& server, beast::tcp_stream& tcp, wsframe::Reader& reader,
                            EngineSession& session, std::vector<Event>& events, std::string& answer) {
  ReadDeadline deadline(tcp.socket());
  deadline.Arm(std::chrono::steady_clock::now() + session.options().upgrade_timeout);
  for (;;) {
    if (!co_await ReadEvents(tcp.socket(), reader, events)) co_return false;
    while (!events.empty()) {
      Event e = std::move(events.front());
      events.erase(events.begin());
      if (e.kind == Event::Kind::kPing) {
        wsframe::AppendFrame(answer, wsframe::Opcode::kPong, e.data);
        continue;
      }
      if (e.kind == Event::Kind::kPong) continue;
      if (e.kind != Event::Kind::kMessage || e.binary) co_return false;
      if (e.data == "2probe") {
        wsframe::AppendFrame(answer, wsframe::Opcode::kText, "3probe");
        continue;
      }
      co_return e.data == "5";  // anything else before the upgrade completes ends the probe
    }
    // Everything read so far is answered before waiting for more.
    if (!answer.empty()) {
      if (!co_await WriteAll(server, tcp, answer)) co_return false;
      answer.clear();
    }
  }
}

// Closes a connection that never became a session.
asio::awaitable<void> Refuse(Server::Impl& server, beast::tcp_stream& tcp, std::uint16_t code) {
  std::string out;
  wsframe::AppendClose(out, code);
  (void)co_await WriteAll(server, tcp, out);
}

// One queued packet as a frame.
void AppendPacket(std::string& out, const Outgoing& p) {
  const std::string& data = p.text();
  if (p.binary) {
    wsframe::AppendFrame(out, wsframe::Opcode::kBinary, data);
    return;
  }
  wsframe::AppendHeader(out, wsframe::Opcode::kText, data.size() + 1);
  out.push_back(static_cast<char>(p.type));
  out.append(data);
}

}  // namespace

asio::awaitable<void> RunEngineWebSocket(Server::Impl& server, beast::tcp_stream& tcp, SessionControl& control,
                                         beast::http::request<beast::http::string_body> upgrade,
                                         EngineRegistry& registry, std::shared_ptr<EngineSession> existing,
                                         const http::Request& request) {
  const eio::Options& options = registry.route().options;
  tcp.expires_never();
  // The upgrade begins before the handshake is answered: a poll the client sends once it
  // sees the WebSocket open then waits for the "5" instead of getting a noop.
  const bool upgrading = existing && existing->BeginUpgrade();
  {
    // Beast answers the handshake; the frames are this file's own, so that everything
    // queued for a client goes out in one write and an idle connection holds no
    // WebSocket stream object.
    WsStream ws(tcp);
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = server.options.write_timeout;
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws.set_option(timeouts);
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "atrium"); }));
    auto [accept_ec] = co_await ws.async_accept(upgrade, asio::as_tuple(asio::use_awaitable));
    if (accept_ec) {
      if (upgrading) existing->AbortUpgrade();
      co_return;
    }
  }
  {
    auto released = std::move(upgrade);  // the upgrade request is not kept for the session
  }

  wsframe::Reader reader(options.max_payload);
  std::vector<Event> events;
  auto executor = co_await asio::this_coro::executor;
  auto wakeup = std::make_shared<Wakeup>(executor);
  std::shared_ptr<EngineSession> session;
  if (existing) {
    if (!upgrading) {
      co_await Refuse(server, tcp, wsframe::kPolicyViolation);
      co_return;
    }
    std::string answer;
    if (!co_await Probe(server, tcp, reader, *existing, events, answer)) {
      existing->AbortUpgrade();
      boost::system::error_code ignored;
      tcp.socket().close(ignored);
      co_return;
    }
    existing->CompleteUpgrade(wakeup);
    session = std::move(existing);
    if (!answer.empty() && !co_await WriteAll(server, tcp, answer)) {
      session->Close("transport close");
      co_return;
    }
  } else {
    const auto& route = registry.route();
    session = std::make_shared<EngineSession>(route.make_id(), options, EngineTransport::kWebSocket,
                                              route.accept(request), executor, server.pool, registry);
    if (!registry.Insert(session)) {
      co_await Refuse(server, tcp, wsframe::kTryAgainLater);
      co_return;
    }
    std::string open;
    wsframe::AppendFrame(open, wsframe::Opcode::kText, session->OpenPacket());
    if (!co_await WriteAll(server, tcp, open)) {
      session->Close("transport close");
      co_return;
    }
    session->SetWebSocketWriter(wakeup);
    session->Start();
  }

  // Both run on this session's event loop (one thread): they share these without locks.
  std::string control_frames;  // the reader's answers: pongs, the close reply
  std::uint16_t close_code = wsframe::kNormalClosure;
  bool writer_done = false;
  bool reader_done = false;
  asio::co_spawn(
      executor,
      [&]() -> asio::awaitable<void> {
        for (;;) {
          bool closed = false;
          std::vector<Outgoing> batch;  // the queue's storage: an idle session keeps none
          session->TakeForWebSocket(batch, closed);
          const bool sent_something = !batch.empty();
          // Everything queued goes out in one write.
          std::string out = std::move(control_frames);
          control_frames.clear();
          std::size_t size = out.size();
          for (const auto& p : batch) size += p.text().size() + 11;  // a frame header is 2 to 10 bytes
          out.reserve(size);
          for (const auto& p : batch) AppendPacket(out, p);
          batch = {};  // a broadcast's shared messages are let go of before the write
          const bool ending = closed || reader_done;
          if (ending) wsframe::AppendClose(out, close_code);
          if (!out.empty() && !co_await WriteAll(server, tcp, out)) break;
          if (ending) break;
          if (!sent_something) co_await wakeup->Wait(std::chrono::milliseconds(60000));
        }
        writer_done = true;
        // The close frame is sent (or the socket failed): the reader need not wait for
        // the peer's answer.
        boost::system::error_code ignored;
        tcp.socket().cancel(ignored);
        wakeup->Notify();
      },
      asio::detached);

  control.idle = true;  // at shutdown the registry closes the session; the socket may be cut
  std::string reason = "transport close";
  bool ending = false;
  while (!ending) {
    for (auto& e : events) {
      switch (e.kind) {
        case Event::Kind::kMessage:
          if (e.binary) {
            session->OnPacket({eio::PacketType::kMessage, std::move(e.data), true});
          } else if (auto packet = eio::DecodeText(e.data)) {
            session->OnPacket(std::move(*packet));
          } else {
            reason = "transport error";
            ending = true;
          }
          break;
        case Event::Kind::kPing:
          wsframe::AppendFrame(control_frames, wsframe::Opcode::kPong, e.data);
          wakeup->Notify();
          break;
        case Event::Kind::kPong:
          break;
        case Event::Kind::kClose:
          ending = true;
          break;
        case Event::Kind::kError:
          close_code = e.code;
          reason = "transport error";
          ending = true;
          break;
      }
      if (ending) break;
    }
    events.clear();
    if (ending || writer_done) break;
    if (!co_await ReadEvents(tcp.socket(), reader, events)) break;
  }
  control.idle = false;
  reader_done = true;
  session->Close(reason);
  wakeup->Notify();
  while (!writer_done) co_await wakeup->Wait(std::chrono::milliseconds(50));
}

}  // namespace atrium::transport
