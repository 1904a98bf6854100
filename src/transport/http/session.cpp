// One connection's life: read a request under deadlines and limits, hand it to the
// site, write the answer, repeat while keep-alive allows.

#include <spdlog/spdlog.h>

#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "http/request_head.hpp"
#include "transport/engineio/engine_endpoint.hpp"
#include "transport/http/read_deadline.hpp"
#include "transport/http/run_blocking.hpp"
#include "transport/http/server_impl.hpp"
#include "transport/http/stream_response.hpp"
#include "transport/http/websocket_session.hpp"

namespace atrium::transport {

namespace bhttp = beast::http;
namespace websocket = beast::websocket;

namespace {

constexpr std::size_t kReadChunk = 4096;
// How much of an unread body we swallow after answering early (413), so the client
// can read our answer before the connection closes.
constexpr std::size_t kLingerBytes = 1 << 20;
constexpr std::chrono::milliseconds kLingerTime{1000};

std::string_view View(const beast::flat_buffer& buffer) {
  return {static_cast<const char*>(buffer.data().data()), buffer.size()};
}

// Keeps a session visible to the shutdown logic while it lives.
class Registration {
 public:
  Registration(Worker& worker, SessionControl& control) : worker_(worker) {
    it_ = worker_.sessions.insert(worker_.sessions.end(), &control);
  }
  ~Registration() { worker_.sessions.erase(it_); }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  Worker& worker_;
  std::list<SessionControl*>::iterator it_;
};

http::Request ToRequest(const bhttp::request_parser<bhttp::string_body>& parser, const std::string& remote,
                        std::chrono::steady_clock::time_point received_at) {
  const auto& msg = parser.get();
  http::Request req;
  req.method_text = std::string(msg.method_string());
  req.method = http::ParseMethod(req.method_text);
  req.target = std::string(msg.target());
  std::string_view target = req.target;
  // Absolute-form targets (proxies) carry scheme and authority before the path.
  if (const auto scheme = target.find("://"); scheme != std::string_view::npos && target.front() != '/') {
    const auto path_start = target.find('/', scheme + 3);
    target = path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
  }
  const auto q = target.find('?');
  req.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
  for (const auto& field : msg) req.headers.Add(field.name_string(), field.value());
  req.remote_address = remote;
  req.received_at = received_at;
  return req;
}

bhttp::response<bhttp::string_body> ToBeast(http::Response&& res, bool head, bool keep_alive) {
  bhttp::response<bhttp::string_body> out;
  out.version(11);
  out.result(static_cast<unsigned>(res.status));
  for (const auto& [name, value] : res.headers.fields()) out.insert(name, value);
  out.set(bhttp::field::server, "atrium");
  out.keep_alive(keep_alive);
  const bool bodiless = res.status == 204 || res.status == 304 || (res.status >= 100 && res.status < 200);
  if (bodiless) {
    out.body().clear();
  } else if (head) {
    out.content_length(res.body.size());
  } else {
    out.body() = std::move(res.body);
    out.prepare_payload();
  }
  return out;
}

// A polling POST over maxPayload ends its Engine.IO session, as the reference does.
void CloseEngineSessionOf(Server::Impl& server, const http::RouteMatch& match, const http::Request& request) {
  if (match.route == nullptr || !match.route->engineio) return;
  const auto sid = request.QueryParam("sid");
  if (!sid) return;
  if (auto session = server.engines.at(match.route->engineio.get())->Find(*sid)) session->Close("transport error");
}

// An upgrade from a page of this very server (Origin names the Host it was sent to) is
// not cross-site; Socket.IO clients outside browsers (python-socketio) send that too.
bool SameOrigin(const http::Request& request) {
  const auto origin = request.Header("Origin");
  const auto host = request.Header("Host");
  if (!origin || !host || host->empty()) return false;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin->size() == scheme.size() + host->size() && origin->starts_with(scheme) && origin->ends_with(*host)) {
      return true;
    }
  }
  return false;
}

}  // namespace

asio::awaitable<void> RunSession(Server::Impl& server, Worker& worker, tcp::socket socket, const http::Site& site,
                                 [[maybe_unused]] AddressConnectionLimit::Slot slot) {
  const ServerOptions& opt = server.options;
  const http::HeadLimits limits{.max_request_line_bytes = opt.max_request_line_bytes,
                                .max_header_bytes = opt.max_header_bytes,
                                .max_fields = opt.max_header_fields};
  beast::tcp_stream stream(std::move(socket));
  SessionControl control{&stream, false};
  Registration registration(worker, control);

  boost::system::error_code ec;
  std::string remote;
  if (auto ep = stream.socket().remote_endpoint(ec); !ec) remote = ep.address().to_string();
  stream.socket().set_option(tcp::no_delay(true), ec);

  beast::flat_buffer buffer;
  ReadDeadline deadline(stream.socket());
  auto header_deadline = std::chrono::steady_clock::now() + opt.header_timeout;
  bool first = true;
  bool linger = false;  // the client may still be sending a head or body we did not read

  for (;;) {
    // Idle: wait for the first byte of a request. Shutdown cancels this wait.
    if (buffer.size() == 0) {
      if (server.stopping.load()) break;
      // A large body or head grew the buffer: an idle connection gives it back.
      if (buffer.capacity() > kReadChunk) buffer.shrink_to_fit();
      control.idle = true;
      if (first) {
        stream.expires_at(header_deadline);
      } else {
        stream.expires_after(opt.idle_timeout);
      }
      auto [read_ec, n] =
          co_await stream.async_read_some(buffer.prepare(kReadChunk), asio::as_tuple(asio::use_awaitable));
      control.idle = false;
      if (read_ec) break;  // closed, timed out or cancelled: nothing was asked, nothing to answer
      buffer.commit(n);
      if (!first) header_deadline = std::chrono::steady_clock::now() + opt.header_timeout;
    }

    // Header: scanned on the raw bytes first (every byte and field counted, framing
    // checked), so Beast's parser only ever sees a complete head within the limits and the
    // buffer never holds more than max_header_bytes of it.
    http::RequestHeadScanner scanner(limits);
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes + 1));
    parser.body_limit(boost::none);  // checked per route once the header is known
    stream.expires_never();
    deadline.Arm(header_deadline);
    boost::system::error_code header_ec;
    while (scanner.Feed(View(buffer)) == http::RequestHeadScanner::State::kNeedMore) {
      // The scanner refuses a head reaching max_header_bytes, so there is room for one more byte.
      const std::size_t room = opt.max_header_bytes + 1 - buffer.size();
      auto [read_ec, n] = co_await stream.async_read_some(buffer.prepare(std::min(kReadChunk, room)),
                                                          asio::as_tuple(asio::use_awaitable));
      if (read_ec) {
        header_ec = read_ec;
        break;
      }
      buffer.commit(n);
    }
    const bool header_timed_out = deadline.Disarm();
    const auto received_at = server.clock.Steady();

    std::optional<http::ApiError> early_error;
    if (scanner.state() == http::RequestHeadScanner::State::kFailed) {
      early_error = http::HeadError(scanner.problem());
    } else if (header_timed_out) {
      early_error = http::MakeError(http::ErrorKind::kRequestTimeout, "Timed out reading the request");
    } else if (header_ec) {
      break;  // closed, reset or cancelled mid-header: nobody to answer
    } else {
      boost::system::error_code put_ec;
      const std::size_t used = parser.put(asio::const_buffer(buffer.data().data(), scanner.head_size()), put_ec);
      if (put_ec || !parser.is_header_done() || used != scanner.head_size()) {
        early_error = http::MakeError(http::ErrorKind::kBadRequest, "Malformed HTTP request");
      } else {
        buffer.consume(used);
      }
    }
    if (early_error) linger = true;  // the client may be sending the rest of what we refused

    http::Request request;
    bool keep_alive = false;
    bool head = false;
    http::Response response;
    if (early_error) {
      // Nothing sane to route: answer in the dialect's shape and close.
      request.received_at = received_at;
      request.remote_address = remote;
      request.method_text = "-";
      site.Begin(request, {});
      response = site.Fail(request, *early_error);
    } else {
      request = ToRequest(parser, remote, received_at);
      head = request.method == http::Method::kHead;
      keep_alive = parser.get().keep_alive();
      site.Begin(request, request.headers.Get("X-Request-Id").value_or(std::string_view{}));
      const http::RouteMatch match = site.Match(request);
      const std::size_t limit = site.BodyLimit(match);
      const auto length = parser.content_length();

      if (length && *length > limit) {
        response = site.Fail(request, http::MakeError(http::ErrorKind::kPayloadTooLarge,
                                                      "Request body exceeds " + std::to_string(limit) + " bytes"));
        keep_alive = false;
        linger = true;
        CloseEngineSessionOf(server, match, request);
      } else {
        if (!parser.is_done()) {
          if (auto expect = request.headers.Get("Expect"); expect && http::EqualsIgnoreCase(*expect, "100-continue")) {
            bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
            stream.expires_after(opt.write_timeout);
            auto [cont_ec, cont_n] = co_await bhttp::async_write(stream, cont, asio::as_tuple(asio::use_awaitable));
            (void)cont_n;
            if (cont_ec) {
              site.Fail(request, http::MakeError(http::ErrorKind::kBadRequest, "Connection lost"));
              break;
            }
          }
          parser.body_limit(limit);
          stream.expires_never();
          deadline.Arm(std::chrono::steady_clock::now() + opt.body_timeout);
          auto [body_ec, body_n] =
              co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
          (void)body_n;
          const bool body_timed_out = deadline.Disarm();
          if (body_ec == bhttp::error::body_limit) {
            early_error = http::MakeError(http::ErrorKind::kPayloadTooLarge,
                                          "Request body exceeds " + std::to_string(limit) + " bytes");
            linger = true;
            CloseEngineSessionOf(server, match, request);
          } else if (body_timed_out) {
            early_error = http::MakeError(http::ErrorKind::kRequestTimeout, "Timed out reading the request body");
          } else if (body_ec == bhttp::error::end_of_stream || body_ec == asio::error::eof ||
                     body_ec == asio::error::connection_reset || body_ec == asio::error::operation_aborted) {
            site.Fail(request, http::MakeError(http::ErrorKind::kBadRequest, "Connection closed mid-body"));
            break;
          } else if (body_ec) {
            early_error = http::MakeError(http::ErrorKind::kBadRequest, "Malformed request body");
          }
        }
        if (early_error) {
          response = site.Fail(request, *early_error);
          keep_alive = false;
        } else {
          request.body = std::move(parser.get().body());
          if (match.route != nullptr && match.route->engineio) {
            // Engine.IO (Socket.IO's transport): polling answered here, upgrades served.
            EngineRegistry& registry = *server.engines.at(match.route->engineio.get());
            if (websocket::is_upgrade(parser.get())) {
              std::shared_ptr<EngineSession> existing;
              auto refusal = (site.OriginAllowed(request) || SameOrigin(request))
                                 ? VerifyEngineUpgrade(registry, request, existing)
                                 : std::optional<http::Response>(http::Response::Text(403, "Forbidden", "text/html"));
              if (!refusal) {
                // The connection lives on as a WebSocket: give back the request buffer
                // (a client sends nothing before the 101).
                if (buffer.size() == 0) buffer.shrink_to_fit();
                site.FinishUpgrade(request, match);
                server.access_log.Write(
                    {site.name(), remote, request.method_text, request.target, 101, 0,
                     std::chrono::duration_cast<std::chrono::microseconds>(server.clock.Steady() - received_at),
                     request.request_id});
                co_await RunEngineWebSocket(server, stream, control, parser.release(), registry, std::move(existing),
                                            request);
                co_return;
              }
              response = std::move(*refusal);
              keep_alive = false;
            } else {
              response = co_await ServeEnginePolling(server, registry, request);
            }
            site.FinishTransportReply(request, match, response);
          } else if (match.route != nullptr && match.route->websocket && websocket::is_upgrade(parser.get())) {
            // A WebSocket upgrade: the route's accept decides (it may authenticate, so
            // it runs on a worker), then the connection becomes a WebSocket.
            std::optional<http::ApiError> refusal;
            std::unique_ptr<http::WebSocketHandler> handler;
            if (!site.OriginAllowed(request)) {
              refusal = http::MakeError(http::ErrorKind::kForbidden, "Origin not allowed");
            } else {
              const auto& accept = match.route->websocket->accept;
              // Path parameters, as Site::Handle gives them to plain handlers.
              request.params.clear();
              for (std::size_t i = 0; i < match.route->param_names.size() && i < match.values.size(); ++i) {
                request.params.emplace_back(match.route->param_names[i], http::PercentDecode(match.values[i], false));
              }
              using Accepted = std::variant<std::unique_ptr<http::WebSocketHandler>, http::ApiError>;
              auto accepted = co_await RunBlocking<Accepted>(server.pool, [&] { return accept(request); });
              if (!accepted) {
                refusal = http::MakeError(http::ErrorKind::kUnavailable, "Server is busy, retry later");
              } else if (auto* e = std::get_if<http::ApiError>(&*accepted)) {
                refusal = std::move(*e);
              } else {
                handler = std::move(std::get<std::unique_ptr<http::WebSocketHandler>>(*accepted));
              }
            }
            if (!refusal && handler) {
              site.FinishUpgrade(request, match);
              server.access_log.Write(
                  {site.name(), remote, request.method_text, request.target, 101, 0,
                   std::chrono::duration_cast<std::chrono::microseconds>(server.clock.Steady() - received_at),
                   request.request_id});
              co_await RunWebSocket(server, stream, buffer, control, parser.release(), std::move(handler),
                                    match.route->websocket->options);
              co_return;
            }
            response = site.Fail(
                request, refusal ? *refusal : http::MakeError(http::ErrorKind::kInternal, "Internal server error"));
            keep_alive = false;
          } else if (http::Site::Blocks(match)) {
            auto done = co_await RunBlocking<http::Response>(server.pool, [&] { return site.Handle(request, match); });
            if (done) {
              response = std::move(*done);
            } else {
              response =
                  site.Fail(request, http::MakeError(http::ErrorKind::kUnavailable, "Server is busy, retry later"));
              response.headers.Set("Retry-After", "1");
            }
          } else {
            response = site.Handle(request, match);
          }
        }
      }
    }

    if (response.stream && response.stream->await_start && !head) {
      auto stream_body = response.stream;  // the answer may be replaced below
      if (auto refusal = co_await AwaitStreamStart(server, control, *stream_body)) {
        response = site.Fail(request, *refusal);
      }
    }
    if (server.stopping.load()) keep_alive = false;
    const int status = response.status;
    if (response.stream && !head) {
      server.access_log.Write(
          {site.name(), remote, request.method_text, request.target, status, 0,
           std::chrono::duration_cast<std::chrono::microseconds>(server.clock.Steady() - received_at),
           request.request_id});
      co_await WriteStreamedResponse(server, stream, control, std::move(response));
      break;
    }
    auto out = ToBeast(std::move(response), head, keep_alive);
    stream.expires_after(opt.write_timeout);
    auto [write_ec, written] = co_await bhttp::async_write(stream, out, asio::as_tuple(asio::use_awaitable));
    server.access_log.Write({site.name(), remote, request.method_text, request.target, status, written,
                             std::chrono::duration_cast<std::chrono::microseconds>(server.clock.Steady() - received_at),
                             request.request_id});
    if (write_ec || !keep_alive || early_error) break;
    first = false;
  }

  // Close politely: send FIN, then (when the client may still be sending) read and drop
  // a bounded amount so our answer is not lost to a reset.
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (linger) {
    std::size_t drained = 0;
    stream.expires_after(kLingerTime);
    while (drained < kLingerBytes) {
      buffer.consume(buffer.size());
      auto [drain_ec, n] =
          co_await stream.async_read_some(buffer.prepare(kReadChunk), asio::as_tuple(asio::use_awaitable));
      if (drain_ec) break;
      drained += n;
    }
  }
  stream.socket().close(ec);
}

}  // namespace atrium::transport
