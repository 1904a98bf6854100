// One connection's life: read a request under deadlines and limits, hand it to the
// site, write the answer, repeat while keep-alive allows.

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <filesystem>
#include <random>

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

// One connection's state across its requests.
struct Connection {
  Connection(Server::Impl& server, const http::Site& site, beast::tcp_stream& stream, SessionControl& control)
      : server(server), site(site), stream(stream), control(control), deadline(stream.socket()) {}

  Server::Impl& server;
  const http::Site& site;
  beast::tcp_stream& stream;
  SessionControl& control;
  std::string remote;
  beast::flat_buffer buffer;
  ReadDeadline deadline;
  std::chrono::steady_clock::time_point header_deadline;
  bool first = true;
  bool linger = false;  // the client may still be sending a head or body we did not read
};

using Parser = bhttp::request_parser<bhttp::string_body>;

// One request and its answer.
// A spooled request body's file: removed when the exchange ends, whatever happened
// (a handler that keeps the bytes has renamed it away, and removing then does nothing).
struct SpoolFile {
  std::string path;
  SpoolFile() = default;
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  ~SpoolFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

struct Exchange {
  SpoolFile spool;  // first member: outlives the request that names it
  http::Request request;
  http::RouteMatch match;
  http::Response response;
  bool keep_alive = false;
  bool head = false;
  std::chrono::steady_clock::time_point received_at;
};

// How reading a request ended.
enum class Read {
  kGone,     // closed, timed out or cancelled with nobody to answer: the connection ends
  kRefused,  // answered with an error (`response`); the connection closes after it
  kReady,    // a whole request, to dispatch
};

// What dispatching produced: an answer to write, or a connection that lives on as a
// WebSocket (Engine.IO's or a route's).
struct Outcome {
  enum class Kind { kAnswer, kEngineSocket, kWebSocket };
  Kind kind = Kind::kAnswer;
  EngineRegistry* registry = nullptr;               // kEngineSocket
  std::shared_ptr<EngineSession> existing;          // kEngineSocket: the polling session it upgrades
  std::unique_ptr<http::WebSocketHandler> handler;  // kWebSocket
};

// Idle: waits for the first byte of a request. false when the connection is to end
// (shutdown, closed, timed out): nothing was asked, nothing to answer.
asio::awaitable<bool> AwaitRequest(Connection& c) {
  if (c.buffer.size() != 0) co_return true;
  if (c.server.stopping.load()) co_return false;
  // A large body or head grew the buffer: an idle connection gives it back.
  if (c.buffer.capacity() > kReadChunk) c.buffer.shrink_to_fit();
  c.control.idle = true;
  if (c.first) {
    c.stream.expires_at(c.header_deadline);
  } else {
    c.stream.expires_after(c.server.options.idle_timeout);
  }
  auto [read_ec, n] =
      co_await c.stream.async_read_some(c.buffer.prepare(kReadChunk), asio::as_tuple(asio::use_awaitable));
  c.control.idle = false;
  if (read_ec) co_return false;
  c.buffer.commit(n);
  if (!c.first) c.header_deadline = std::chrono::steady_clock::now() + c.server.options.header_timeout;
  co_return true;
}

// Answers what could not be read sanely in the dialect's shape; the connection closes.
Read Refuse(Connection& c, Exchange& ex, const http::ApiError& error) {
  c.linger = true;  // the client may be sending the rest of what we refused
  ex.response = c.site.Fail(ex.request, error);
  ex.keep_alive = false;
  return Read::kRefused;
}

// Creates the spool file (0600, a name no other request can guess or clash with).
std::optional<std::string> CreateSpoolFile(const ServerOptions& opt) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = opt.spool_dir.empty() ? fs::temp_directory_path(ec) : fs::path(opt.spool_dir);
  std::random_device entropy;
  for (int attempt = 0; attempt < 8; ++attempt) {
    char name[48];
    std::snprintf(name, sizeof name, "body-%08x%08x%08x%08x", entropy(), entropy(), entropy(), entropy());
    const std::string path = (dir / name).string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::close(fd);
      return path;
    }
    if (errno != EEXIST) return std::nullopt;
  }
  return std::nullopt;
}

// The body of a body_to_file route, into the spool file as it arrives: the route's
// limit checked on every read (413 the moment it is crossed, as for bodies in memory),
// body_timeout as the longest silence, upload_timeout for the whole body.
asio::awaitable<Read> ReadBodyToFile(Connection& c, bhttp::request_parser<bhttp::string_body>& head, Exchange& ex,
                                     std::size_t limit, const std::function<http::ApiError()>& too_large) {
  const ServerOptions& opt = c.server.options;
  auto path = CreateSpoolFile(opt);
  if (!path) {
    spdlog::error("cannot create a spool file in '{}'", opt.spool_dir);
    ex.response =
        c.site.Fail(ex.request, http::MakeError(http::ErrorKind::kUnavailable, "The upload cannot be stored now"));
    c.linger = true;
    ex.keep_alive = false;
    co_return Read::kRefused;
  }
  ex.spool.path = *path;
  bhttp::request_parser<bhttp::file_body> parser(std::move(head));
  parser.body_limit(limit);
  beast::error_code open_ec;
  parser.get().body().open(path->c_str(), beast::file_mode::write, open_ec);
  if (open_ec) {
    spdlog::error("cannot open the spool file {}: {}", *path, open_ec.message());
    ex.response =
        c.site.Fail(ex.request, http::MakeError(http::ErrorKind::kUnavailable, "The upload cannot be stored now"));
    c.linger = true;
    ex.keep_alive = false;
    co_return Read::kRefused;
  }
  const auto give_up_at = std::chrono::steady_clock::now() + opt.upload_timeout;
  c.stream.expires_never();
  while (!parser.is_done()) {
    c.deadline.Arm(std::min(std::chrono::steady_clock::now() + opt.body_timeout, give_up_at));
    auto [ec, n] = co_await bhttp::async_read_some(c.stream, c.buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)n;
    const bool timed_out = c.deadline.Disarm();
    if (!ec) continue;
    parser.get().body().close();
    if (ec == bhttp::error::body_limit) co_return Refuse(c, ex, too_large());
    if (timed_out) {
      ex.response = c.site.Fail(
          ex.request, http::MakeError(http::ErrorKind::kRequestTimeout, "Timed out reading the request body"));
      ex.keep_alive = false;
      co_return Read::kRefused;
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted) {
      c.site.Fail(ex.request, http::MakeError(http::ErrorKind::kBadRequest, "Connection closed mid-body"));
      co_return Read::kGone;
    }
    ex.response = c.site.Fail(ex.request, http::MakeError(http::ErrorKind::kBadRequest, "Malformed request body"));
    ex.keep_alive = false;
    co_return Read::kRefused;
  }
  parser.get().body().close();
  std::error_code size_ec;
  ex.request.body_file = *path;
  ex.request.body_size = std::filesystem::file_size(*path, size_ec);
  co_return Read::kReady;
}

// The head: scanned on the raw bytes first (every byte and field counted, framing
// checked), so Beast's parser only ever sees a complete head within the limits and the
// buffer never holds more than max_header_bytes of it. Then the body, under the
// route's limit and the body deadline.
asio::awaitable<Read> ReadRequest(Connection& c, Parser& parser, Exchange& ex) {
  const ServerOptions& opt = c.server.options;
  http::RequestHeadScanner scanner(http::HeadLimits{.max_request_line_bytes = opt.max_request_line_bytes,
                                                    .max_header_bytes = opt.max_header_bytes,
                                                    .max_fields = opt.max_header_fields});
  parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes + 1));
  parser.body_limit(boost::none);  // checked per route once the header is known
  c.stream.expires_never();
  c.deadline.Arm(c.header_deadline);
  boost::system::error_code header_ec;
  while (scanner.Feed(View(c.buffer)) == http::RequestHeadScanner::State::kNeedMore) {
    // The scanner refuses a head reaching max_header_bytes, so there is room for one more byte.
    const std::size_t room = opt.max_header_bytes + 1 - c.buffer.size();
    auto [read_ec, n] = co_await c.stream.async_read_some(c.buffer.prepare(std::min(kReadChunk, room)),
                                                          asio::as_tuple(asio::use_awaitable));
    if (read_ec) {
      header_ec = read_ec;
      break;
    }
    c.buffer.commit(n);
  }
  const bool header_timed_out = c.deadline.Disarm();
  ex.received_at = c.server.clock.Steady();

  std::optional<http::ApiError> head_error;
  if (scanner.state() == http::RequestHeadScanner::State::kFailed) {
    head_error = http::HeadError(scanner.problem());
  } else if (header_timed_out) {
    head_error = http::MakeError(http::ErrorKind::kRequestTimeout, "Timed out reading the request");
  } else if (header_ec) {
    co_return Read::kGone;  // closed, reset or cancelled mid-header: nobody to answer
  } else {
    boost::system::error_code put_ec;
    const std::size_t used = parser.put(asio::const_buffer(c.buffer.data().data(), scanner.head_size()), put_ec);
    if (put_ec || !parser.is_header_done() || used != scanner.head_size()) {
      head_error = http::MakeError(http::ErrorKind::kBadRequest, "Malformed HTTP request");
    } else {
      c.buffer.consume(used);
    }
  }
  if (head_error) {
    // Nothing sane to route.
    ex.request.received_at = ex.received_at;
    ex.request.remote_address = c.remote;
    ex.request.method_text = "-";
    c.site.Begin(ex.request, {});
    co_return Refuse(c, ex, *head_error);
  }

  ex.request = ToRequest(parser, c.remote, ex.received_at);
  ex.head = ex.request.method == http::Method::kHead;
  ex.keep_alive = parser.get().keep_alive();
  c.site.Begin(ex.request, ex.request.headers.Get("X-Request-Id").value_or(std::string_view{}));
  ex.match = c.site.Match(ex.request);
  const std::size_t limit = c.site.BodyLimit(ex.match);
  const auto too_large = [&] {
    CloseEngineSessionOf(c.server, ex.match, ex.request);
    return http::MakeError(http::ErrorKind::kPayloadTooLarge,
                           "Request body exceeds " + std::to_string(limit) + " bytes");
  };
  if (const auto length = parser.content_length(); length && *length > limit) co_return Refuse(c, ex, too_large());

  if (!parser.is_done()) {
    if (auto expect = ex.request.headers.Get("Expect"); expect && http::EqualsIgnoreCase(*expect, "100-continue")) {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
      c.stream.expires_after(opt.write_timeout);
      auto [cont_ec, cont_n] = co_await bhttp::async_write(c.stream, cont, asio::as_tuple(asio::use_awaitable));
      (void)cont_n;
      if (cont_ec) {
        c.site.Fail(ex.request, http::MakeError(http::ErrorKind::kBadRequest, "Connection lost"));
        co_return Read::kGone;
      }
    }
    if (ex.match.route != nullptr && ex.match.route->options.body_to_file && !websocket::is_upgrade(parser.get())) {
      co_return co_await ReadBodyToFile(c, parser, ex, limit, too_large);
    }
    parser.body_limit(limit);
    c.stream.expires_never();
    c.deadline.Arm(std::chrono::steady_clock::now() + opt.body_timeout);
    auto [body_ec, body_n] =
        co_await bhttp::async_read(c.stream, c.buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)body_n;
    const bool body_timed_out = c.deadline.Disarm();
    if (body_ec == bhttp::error::body_limit) {
      co_return Refuse(c, ex, too_large());
    } else if (body_timed_out) {
      ex.response = c.site.Fail(
          ex.request, http::MakeError(http::ErrorKind::kRequestTimeout, "Timed out reading the request body"));
      ex.keep_alive = false;
      co_return Read::kRefused;
    } else if (body_ec == bhttp::error::end_of_stream || body_ec == asio::error::eof ||
               body_ec == asio::error::connection_reset || body_ec == asio::error::operation_aborted) {
      c.site.Fail(ex.request, http::MakeError(http::ErrorKind::kBadRequest, "Connection closed mid-body"));
      co_return Read::kGone;
    } else if (body_ec) {
      ex.response = c.site.Fail(ex.request, http::MakeError(http::ErrorKind::kBadRequest, "Malformed request body"));
      ex.keep_alive = false;
      co_return Read::kRefused;
    }
  }
  ex.request.body = std::move(parser.get().body());
  co_return Read::kReady;
}

// Engine.IO (Socket.IO's transport): polling answered here, upgrades served.
asio::awaitable<Outcome> DispatchEngine(Connection& c, const Parser& parser, Exchange& ex) {
  Outcome out;
  EngineRegistry& registry = *c.server.engines.at(ex.match.route->engineio.get());
  if (websocket::is_upgrade(parser.get())) {
    std::shared_ptr<EngineSession> existing;
    auto refusal = (c.site.OriginAllowed(ex.request) || SameOrigin(ex.request))
                       ? VerifyEngineUpgrade(registry, ex.request, existing)
                       : std::optional<http::Response>(http::Response::Text(403, "Forbidden", "text/html"));
    if (!refusal) {
      // The connection lives on as a WebSocket: give back the request buffer (a client
      // sends nothing before the 101).
      if (c.buffer.size() == 0) c.buffer.shrink_to_fit();
      c.site.FinishUpgrade(ex.request, ex.match);
      out.kind = Outcome::Kind::kEngineSocket;
      out.registry = &registry;
      out.existing = std::move(existing);
      co_return out;
    }
    ex.response = std::move(*refusal);
    ex.keep_alive = false;
  } else {
    ex.response = co_await ServeEnginePolling(c.server, registry, ex.request);
  }
  c.site.FinishTransportReply(ex.request, ex.match, ex.response);
  co_return out;
}

// A WebSocket upgrade: the route's accept decides (it may authenticate, so it runs on a
// worker), then the connection becomes a WebSocket.
asio::awaitable<Outcome> DispatchWebSocket(Connection& c, Exchange& ex) {
  Outcome out;
  std::optional<http::ApiError> refusal;
  if (!c.site.OriginAllowed(ex.request)) {
    refusal = http::MakeError(http::ErrorKind::kForbidden, "Origin not allowed");
  } else {
    const auto& accept = ex.match.route->websocket->accept;
    // Path parameters, as Site::Handle gives them to plain handlers.
    ex.request.params.clear();
    for (std::size_t i = 0; i < ex.match.route->param_names.size() && i < ex.match.values.size(); ++i) {
      ex.request.params.emplace_back(ex.match.route->param_names[i], http::PercentDecode(ex.match.values[i], false));
    }
    using Accepted = http::Result<std::unique_ptr<http::WebSocketHandler>>;
    auto accepted = co_await RunBlocking<Accepted>(c.server.pool, [&] { return accept(ex.request); });
    if (!accepted) {
      refusal = http::MakeError(http::ErrorKind::kUnavailable, "Server is busy, retry later");
    } else if (!*accepted) {
      refusal = std::move(*accepted).error();
    } else {
      out.handler = *std::move(*accepted);
    }
  }
  if (!refusal && out.handler) {
    c.site.FinishUpgrade(ex.request, ex.match);
    out.kind = Outcome::Kind::kWebSocket;
    co_return out;
  }
  out.handler.reset();
  ex.response = c.site.Fail(ex.request,
                            refusal ? *refusal : http::MakeError(http::ErrorKind::kInternal, "Internal server error"));
  ex.keep_alive = false;
  co_return out;
}

// A plain request: the site's handler, on a worker when it blocks.
asio::awaitable<void> DispatchPlain(Connection& c, Exchange& ex) {
  if (!http::Site::Blocks(ex.match)) {
    ex.response = c.site.Handle(ex.request, ex.match);
    co_return;
  }
  auto done = co_await RunBlocking<http::Response>(c.server.pool, [&] { return c.site.Handle(ex.request, ex.match); });
  if (done) {
    ex.response = std::move(*done);
  } else {
    ex.response =
        c.site.Fail(ex.request, http::MakeError(http::ErrorKind::kUnavailable, "Server is busy, retry later"));
    ex.response.headers.Set("Retry-After", "1");
  }
}

asio::awaitable<Outcome> Dispatch(Connection& c, const Parser& parser, Exchange& ex) {
  const http::Route* route = ex.match.route;
  Outcome out;
  if (route != nullptr && route->engineio) {
    out = co_await DispatchEngine(c, parser, ex);
  } else if (route != nullptr && route->websocket && websocket::is_upgrade(parser.get())) {
    out = co_await DispatchWebSocket(c, ex);
  } else {
    co_await DispatchPlain(c, ex);
  }
  co_return out;
}

struct Written {
  int status = 0;
  std::size_t bytes = 0;
  bool failed = false;
};

// Writes an answer that is not streamed, under the write deadline.
asio::awaitable<Written> WriteAnswer(Connection& c, Exchange& ex) {
  Written w{ex.response.status};
  auto out = ToBeast(std::move(ex.response), ex.head, ex.keep_alive);
  c.stream.expires_after(c.server.options.write_timeout);
  auto [write_ec, written] = co_await bhttp::async_write(c.stream, out, asio::as_tuple(asio::use_awaitable));
  w.bytes = written;
  w.failed = static_cast<bool>(write_ec);
  co_return w;
}

void LogAccess(Connection& c, const Exchange& ex, const Written& w) {
  c.server.access_log.Write(
      {c.site.name(), c.remote, ex.request.method_text, ex.request.target, w.status, w.bytes,
       std::chrono::duration_cast<std::chrono::microseconds>(c.server.clock.Steady() - ex.received_at),
       ex.request.request_id});
}

}  // namespace

asio::awaitable<void> RunSession(Server::Impl& server, Worker& worker, tcp::socket socket, const http::Site& site,
                                 [[maybe_unused]] AddressConnectionLimit::Slot slot) {
  beast::tcp_stream stream(std::move(socket));
  SessionControl control{&stream, false};
  Registration registration(worker, control);
  Connection c(server, site, stream, control);

  boost::system::error_code ec;
  if (auto ep = stream.socket().remote_endpoint(ec); !ec) c.remote = ep.address().to_string();
  stream.socket().set_option(tcp::no_delay(true), ec);
  c.header_deadline = std::chrono::steady_clock::now() + server.options.header_timeout;

  for (;;) {
    // Read.
    const bool asked = co_await AwaitRequest(c);
    if (!asked) break;
    Parser parser;
    Exchange ex;
    const Read read = co_await ReadRequest(c, parser, ex);
    if (read == Read::kGone) break;

    // Dispatch.
    Outcome outcome;
    if (read == Read::kReady) outcome = co_await Dispatch(c, parser, ex);
    const bool upgraded = outcome.kind != Outcome::Kind::kAnswer;
    if (!upgraded && ex.response.stream && ex.response.stream->await_start && !ex.head) {
      auto stream_body = ex.response.stream;  // the answer may be replaced below
      if (auto refusal = co_await AwaitStreamStart(server, control, *stream_body)) {
        ex.response = site.Fail(ex.request, *refusal);
      }
    }

    // Write: a plain answer now; a streamed one, or the WebSocket the connection became,
    // after its access-log line (those run as long as the connection).
    if (server.stopping.load()) ex.keep_alive = false;
    const bool streamed = !upgraded && ex.response.stream && !ex.head;
    Written written{upgraded ? 101 : ex.response.status};
    if (!upgraded && !streamed) written = co_await WriteAnswer(c, ex);
    LogAccess(c, ex, written);
    switch (outcome.kind) {
      case Outcome::Kind::kEngineSocket:
        co_await RunEngineWebSocket(server, stream, control, parser.release(), *outcome.registry,
                                    std::move(outcome.existing), ex.request);
        co_return;
      case Outcome::Kind::kWebSocket:
        co_await RunWebSocket(server, stream, c.buffer, control, parser.release(), std::move(outcome.handler),
                              ex.match.route->websocket->options);
        co_return;
      case Outcome::Kind::kAnswer:
        break;
    }
    if (streamed) {
      co_await WriteStreamedResponse(server, stream, control, std::move(ex.response));
      break;
    }
    if (written.failed || !ex.keep_alive) break;
    c.first = false;
  }

  // Close politely: send FIN, then (when the client may still be sending) read and drop
  // a bounded amount so our answer is not lost to a reset.
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (c.linger) {
    std::size_t drained = 0;
    stream.expires_after(kLingerTime);
    while (drained < kLingerBytes) {
      c.buffer.consume(c.buffer.size());
      auto [drain_ec, n] =
          co_await stream.async_read_some(c.buffer.prepare(kReadChunk), asio::as_tuple(asio::use_awaitable));
      if (drain_ec) break;
      drained += n;
    }
  }
  stream.socket().close(ec);
}

}  // namespace atrium::transport
