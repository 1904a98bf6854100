#include "transport/http/beast_http_fetcher.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <future>
#include <list>
#include <optional>

namespace atrium::transport {

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;
  std::string host_header;
};

core::Result<Target> ParseUrl(const std::string& url) {
  Target t;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    t.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return core::Error(core::ErrorCode::kInvalidArgument, "upstream URL must be http:// or https://");
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  t.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.empty()) return core::Error(core::ErrorCode::kInvalidArgument, "upstream URL has no host");
  if (authority.find('@') != std::string::npos) {
    return core::Error(core::ErrorCode::kInvalidArgument, "upstream URL must not carry credentials");
  }
  if (authority.front() == '[') {  // [::1]:8080
    const auto close = authority.find(']');
    if (close == std::string::npos) return core::Error(core::ErrorCode::kInvalidArgument, "bad upstream host");
    t.host = authority.substr(1, close - 1);
    t.port = close + 2 <= authority.size() ? authority.substr(close + 2) : "";
  } else {
    const auto colon = authority.rfind(':');
    t.host = authority.substr(0, colon);
    t.port = colon == std::string::npos ? "" : authority.substr(colon + 1);
  }
  if (t.host.empty()) return core::Error(core::ErrorCode::kInvalidArgument, "upstream URL has no host");
  const std::string default_port = t.tls ? "443" : "80";
  if (t.port.empty()) t.port = default_port;
  t.host_header = authority.front() == '[' ? "[" + t.host + "]" : t.host;
  if (t.port != default_port) t.host_header += ":" + t.port;
  return t;
}

core::Error Unavailable(std::string safe, const boost::system::error_code& ec) {
  return core::Error(core::ErrorCode::kUnavailable, std::move(safe), ec.message())
      .WithReason(core::Reason::kUpstreamIo);
}

core::Error Cancelled() {
  return core::Error(core::ErrorCode::kUnavailable, "the request was cancelled").WithReason(core::Reason::kCancelled);
}

}  // namespace

struct BeastHttpFetcher::Loop {
  asio::io_context ioc{1};
  // Requests in flight, so Stop can cancel them and let them end cleanly.
  std::mutex active_mu;
  std::condition_variable active_cv;
  std::list<std::weak_ptr<core::net::StreamHandle>> active;
  bool stopping = false;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::thread thread;
  std::mutex tls_mu;
  std::map<std::string, std::shared_ptr<ssl::context>> tls_contexts;  // by CA file ("" = system)

  core::Result<std::shared_ptr<ssl::context>> TlsContext(const std::string& ca_file) {
    std::lock_guard lock(tls_mu);
    if (auto it = tls_contexts.find(ca_file); it != tls_contexts.end()) return it->second;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    if (ca_file.empty()) {
      ctx->set_default_verify_paths(ec);
    } else {
      ctx->load_verify_file(ca_file, ec);
    }
    if (ec) {
      return core::Error(core::ErrorCode::kUnavailable, "the upstream's trusted certificates cannot be loaded",
                         ca_file + ": " + ec.message());
    }
    ctx->set_verify_mode(ssl::verify_peer);
    tls_contexts[ca_file] = ctx;
    return ctx;
  }
};

namespace {

// One request in flight. Lives on the loop's thread; only Cancel comes from elsewhere,
// and it posts.
class Exchange final : public core::net::StreamHandle, public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(BeastHttpFetcher::Loop& loop, asio::io_context& ioc, Target target, core::net::FetchRequest request,
           core::net::StreamCallbacks callbacks, std::shared_ptr<ssl::context> tls)
      : loop_(loop),
        ioc_(ioc),
        target_(std::move(target)),
        request_(std::move(request)),
        callbacks_(std::move(callbacks)),
        tls_ctx_(std::move(tls)),
        resolver_(ioc),
        delay_(ioc) {}

  void Cancel() override {
    asio::post(ioc_, [self = shared_from_this()] { self->CancelNow(); });
  }

  // False when the fetcher is stopping (nothing runs then).
  bool Register() {
    std::lock_guard lock(loop_.active_mu);
    if (loop_.stopping) return false;
    slot_ = loop_.active.insert(loop_.active.end(), weak_from_this());
    return true;
  }

  void Start() {
    asio::co_spawn(
        ioc_, [self = shared_from_this()]() -> asio::awaitable<void> { co_await self->Run(); }, asio::detached);
  }

 private:
  void CancelNow() {
    if (cancelled_) return;
    cancelled_ = true;
    delay_.cancel();
    resolver_.cancel();
    boost::system::error_code ignored;
    if (tcp_) {
      tcp_->socket().shutdown(tcp::socket::shutdown_both, ignored);
      tcp_->socket().close(ignored);
    }
    if (tls_) {
      beast::get_lowest_layer(*tls_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(*tls_).socket().close(ignored);
    }
  }

  beast::tcp_stream& Lowest() { return tls_ ? beast::get_lowest_layer(*tls_) : *tcp_; }

  asio::awaitable<void> Run() {
    auto end = co_await Perform();
    if (cancelled_) end = Cancelled();
    boost::system::error_code ignored;
    if (tcp_ || tls_) Lowest().socket().close(ignored);
    if (callbacks_.on_end) callbacks_.on_end(std::move(end));
    callbacks_ = {};  // drop what the callbacks hold as soon as they are done
    std::lock_guard lock(loop_.active_mu);
    loop_.active.erase(slot_);
    loop_.active_cv.notify_all();
  }

  asio::awaitable<core::Result<void>> Perform() {
    if (request_.start_delay.count() > 0) {
      delay_.expires_after(request_.start_delay);
      auto [ec] = co_await delay_.async_wait(asio::as_tuple(asio::use_awaitable));
      (void)ec;
    }
    if (cancelled_) co_return Cancelled();
    // Resolution has no timer of its own: a deadline timer cancels it.
    asio::steady_timer resolve_deadline(ioc_);
    resolve_deadline.expires_after(request_.connect_timeout);
    resolve_deadline.async_wait([this, self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) resolver_.cancel();
    });
    auto [rec, endpoints] =
        co_await resolver_.async_resolve(target_.host, target_.port, asio::as_tuple(asio::use_awaitable));
    resolve_deadline.cancel();
    if (cancelled_) co_return Cancelled();
    if (rec) co_return Unavailable("upstream host cannot be resolved", rec);

    if (target_.tls) {
      tls_.emplace(ioc_, *tls_ctx_);
    } else {
      tcp_.emplace(ioc_);
    }
    Lowest().expires_after(request_.connect_timeout);
    auto [cec, ep] = co_await Lowest().async_connect(endpoints, asio::as_tuple(asio::use_awaitable));
    (void)ep;
    if (cancelled_) co_return Cancelled();
    if (cec) co_return Unavailable("upstream unreachable", cec);
    if (tls_) {
      if (!SSL_set_tlsext_host_name(tls_->native_handle(), target_.host.c_str())) {
        co_return core::Error(core::ErrorCode::kUnavailable, "TLS setup failed", "SNI");
      }
      tls_->set_verify_callback(ssl::host_name_verification(target_.host));
      auto [hec] = co_await tls_->async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
      if (cancelled_) co_return Cancelled();
      if (hec) co_return Unavailable("TLS handshake with the upstream failed", hec);
      co_return co_await Talk(*tls_);
    }
    co_return co_await Talk(*tcp_);
  }

  template <class S>
  asio::awaitable<core::Result<void>> Talk(S& stream) {
    const auto verb = bhttp::string_to_verb(request_.method);
    if (verb == bhttp::verb::unknown) {
      co_return core::Error(core::ErrorCode::kInvalidArgument, "unknown method " + request_.method);
    }
    bhttp::request<bhttp::string_body> req{verb, target_.path, 11};
    req.set(bhttp::field::host, target_.host_header);
    req.set(bhttp::field::user_agent, "atrium");
    for (const auto& [name, value] : request_.headers) req.set(name, value);
    if (!request_.body.empty() || verb == bhttp::verb::post) {
      req.body() = std::move(request_.body);
      req.prepare_payload();
    }
    Lowest().expires_after(request_.header_timeout);
    auto [wec, wn] = co_await bhttp::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
    (void)wn;
    if (cancelled_) co_return Cancelled();
    if (wec) co_return Unavailable("upstream closed the connection", wec);

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::buffer_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(boost::none);  // streams end by the upstream or by a deadline
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)hn;
    if (cancelled_) co_return Cancelled();
    if (hec) co_return Unavailable("upstream answer unreadable", hec);
    core::net::HeaderList headers;
    for (const auto& field : parser.get()) {
      headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (callbacks_.on_head && !callbacks_.on_head(static_cast<int>(parser.get().result_int()), headers)) {
      co_return core::Ok{};
    }
    char chunk[16 * 1024];
    while (!parser.is_done()) {
      parser.get().body().data = chunk;
      parser.get().body().size = sizeof(chunk);
      Lowest().expires_after(request_.idle_timeout);
      // read_some returns as soon as some of the body is in: tokens are relayed as they come.
      auto [bec, bn] = co_await bhttp::async_read_some(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      (void)bn;
      if (cancelled_) co_return Cancelled();
      if (bec == bhttp::error::need_buffer) bec = {};
      // What arrived before a failure is still delivered (the tokens before a cut).
      const std::size_t got = sizeof(chunk) - parser.get().body().size;
      if (got > 0 && callbacks_.on_data && !callbacks_.on_data(std::string_view(chunk, got))) co_return core::Ok{};
      if (bec) co_return Unavailable("upstream answer broke off", bec);
    }
    co_return core::Ok{};
  }

  static constexpr std::uint32_t kMaxHeaderBytes = BeastHttpFetcher::kMaxHeader;

  BeastHttpFetcher::Loop& loop_;
  std::list<std::weak_ptr<core::net::StreamHandle>>::iterator slot_;
  asio::io_context& ioc_;
  Target target_;
  core::net::FetchRequest request_;
  core::net::StreamCallbacks callbacks_;
  std::shared_ptr<ssl::context> tls_ctx_;
  tcp::resolver resolver_;
  asio::steady_timer delay_;
  std::optional<beast::tcp_stream> tcp_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  bool cancelled_ = false;
};

}  // namespace

BeastHttpFetcher::BeastHttpFetcher() : loop_(std::make_unique<Loop>()) {
  loop_->guard.emplace(asio::make_work_guard(loop_->ioc));
  loop_->thread = std::thread([loop = loop_.get()] { loop->ioc.run(); });
}

BeastHttpFetcher::~BeastHttpFetcher() { Stop(); }

void BeastHttpFetcher::Stop() {
  if (!loop_->thread.joinable()) return;
  // Cancel what is in flight and give it a moment to end (its on_end runs), then stop.
  {
    std::unique_lock lock(loop_->active_mu);
    loop_->stopping = true;
    for (auto& weak : loop_->active) {
      if (auto handle = weak.lock()) handle->Cancel();
    }
    loop_->active_cv.wait_for(lock, std::chrono::seconds(2), [&] { return loop_->active.empty(); });
  }
  loop_->guard.reset();
  loop_->ioc.stop();
  loop_->thread.join();
}

core::Result<std::shared_ptr<core::net::StreamHandle>> BeastHttpFetcher::Stream(core::net::FetchRequest request,
                                                                                core::net::StreamCallbacks callbacks) {
  auto target = ParseUrl(request.url);
  if (!target) return target.error();
  std::shared_ptr<ssl::context> tls;
  if (target->tls) {
    auto ctx = loop_->TlsContext(request.ca_file);
    if (!ctx) return ctx.error();
    tls = *ctx;
  }
  auto exchange =
      std::make_shared<Exchange>(*loop_, loop_->ioc, std::move(*target), std::move(request), std::move(callbacks), tls);
  if (!exchange->Register()) return core::Error(core::ErrorCode::kUnavailable, "the server is shutting down");
  exchange->Start();
  return std::shared_ptr<core::net::StreamHandle>(exchange);
}

core::Result<core::net::FetchResponse> BeastHttpFetcher::Send(const core::net::FetchRequest& request) {
  struct Collected {
    core::net::FetchResponse response;
    bool too_big = false;
    std::promise<core::Result<void>> done;
  };
  auto collected = std::make_shared<Collected>();
  auto future = collected->done.get_future();
  core::net::StreamCallbacks callbacks;
  callbacks.on_head = [collected](int status, const core::net::HeaderList& headers) {
    collected->response.status = status;
    collected->response.headers = headers;
    return true;
  };
  callbacks.on_data = [collected](std::string_view data) {
    if (collected->response.body.size() + data.size() > kMaxBody) {
      collected->too_big = true;
      return false;
    }
    collected->response.body.append(data);
    return true;
  };
  callbacks.on_end = [collected](core::Result<void> end) { collected->done.set_value(std::move(end)); };
  auto started = Stream(request, std::move(callbacks));
  if (!started) return started.error();
  // Every step has its own deadline; this bound only guards against a loop that stopped.
  const auto bound = request.start_delay + request.connect_timeout * 2 + request.header_timeout + request.idle_timeout +
                     std::chrono::milliseconds(500);
  if (future.wait_for(bound) != std::future_status::ready) {
    (*started)->Cancel();
    return core::Error(core::ErrorCode::kUnavailable, "upstream did not answer in time");
  }
  auto end = future.get();
  if (!end) return end.error();
  if (collected->too_big) return core::Error(core::ErrorCode::kUnavailable, "upstream answer too large");
  return std::move(collected->response);
}

core::Result<core::net::FetchResponse> BeastHttpFetcher::Get(const std::string& url,
                                                             const core::net::HeaderList& headers,
                                                             std::chrono::milliseconds timeout) {
  auto target = ParseUrl(url);
  if (!target) return target.error();
  core::net::FetchRequest request;
  request.url = url;
  request.headers = headers;
  request.headers.emplace_back("Accept", "application/json");
  request.connect_timeout = timeout;
  request.header_timeout = timeout;
  request.idle_timeout = timeout;
  // The whole call is bounded by `timeout`, as the interface promises.
  auto result = std::make_shared<std::promise<core::Result<core::net::FetchResponse>>>();
  auto future = result->get_future();
  auto response = std::make_shared<core::net::FetchResponse>();
  core::net::StreamCallbacks callbacks;
  callbacks.on_head = [response](int status, const core::net::HeaderList& h) {
    response->status = status;
    response->headers = h;
    return true;
  };
  callbacks.on_data = [response](std::string_view data) {
    if (response->body.size() + data.size() > kMaxBody) return false;
    response->body.append(data);
    return true;
  };
  callbacks.on_end = [response, result](core::Result<void> end) {
    if (!end) {
      result->set_value(end.error());
    } else {
      result->set_value(std::move(*response));
    }
  };
  auto started = Stream(std::move(request), std::move(callbacks));
  if (!started) return started.error();
  if (future.wait_for(timeout + std::chrono::milliseconds(50)) != std::future_status::ready) {
    (*started)->Cancel();
    return core::Error(core::ErrorCode::kUnavailable, "upstream did not answer in time");
  }
  return future.get();
}

}  // namespace atrium::transport
