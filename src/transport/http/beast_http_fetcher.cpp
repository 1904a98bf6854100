#include "transport/http/beast_http_fetcher.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace atrium::transport {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Target {
  std::string host;
  std::string port;
  std::string path;
};

core::Result<Target> ParseUrl(const std::string& url) {
  constexpr std::string_view kHttp = "http://";
  if (url.rfind("https://", 0) == 0) {
    return core::Error(core::ErrorCode::kInvalidArgument, "https upstreams are not supported yet");
  }
  if (url.rfind(kHttp, 0) != 0) return core::Error(core::ErrorCode::kInvalidArgument, "upstream URL must be http://");
  const std::string rest = url.substr(kHttp.size());
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  Target t;
  t.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.empty()) return core::Error(core::ErrorCode::kInvalidArgument, "upstream URL has no host");
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
  if (t.port.empty()) t.port = "80";
  return t;
}

}  // namespace

core::Result<core::net::FetchResponse> BeastHttpFetcher::Get(
    const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::milliseconds timeout) {
  return Send(false, url, headers, {}, {}, timeout);
}

core::Result<core::net::FetchResponse> BeastHttpFetcher::Post(
    const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& content_type, const std::string& body, std::chrono::milliseconds timeout) {
  return Send(true, url, headers, content_type, body, timeout);
}

core::Result<core::net::FetchResponse> BeastHttpFetcher::Send(
    bool post, const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& content_type, const std::string& body, std::chrono::milliseconds timeout) {
  auto target = ParseUrl(url);
  if (!target) return target.error();
  asio::io_context ioc;
  core::Result<core::net::FetchResponse> result =
      core::Error(core::ErrorCode::kUnavailable, "upstream did not answer in time");
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        tcp::resolver resolver(ioc);
        beast::tcp_stream stream(ioc);
        stream.expires_after(timeout);
        auto [rec, endpoints] =
            co_await resolver.async_resolve(target->host, target->port, asio::as_tuple(asio::use_awaitable));
        if (rec) {
          result = core::Error(core::ErrorCode::kUnavailable, "upstream host cannot be resolved", rec.message());
          co_return;
        }
        auto [cec, ep] = co_await stream.async_connect(endpoints, asio::as_tuple(asio::use_awaitable));
        (void)ep;
        if (cec) {
          result = core::Error(core::ErrorCode::kUnavailable, "upstream unreachable", cec.message());
          co_return;
        }
        bhttp::request<bhttp::string_body> req{post ? bhttp::verb::post : bhttp::verb::get, target->path, 11};
        req.set(bhttp::field::host, target->host + ":" + target->port);
        req.set(bhttp::field::user_agent, "atrium");
        req.set(bhttp::field::accept, "application/json");
        for (const auto& [name, value] : headers) req.set(name, value);
        if (post) {
          req.set(bhttp::field::content_type, content_type);
          req.body() = body;
          req.prepare_payload();
        }
        auto [wec, wn] = co_await bhttp::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
        (void)wn;
        if (wec) {
          result = core::Error(core::ErrorCode::kUnavailable, "upstream closed the connection", wec.message());
          co_return;
        }
        beast::flat_buffer buffer;
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(kMaxBody);
        auto [rdec, rn] = co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        (void)rn;
        if (rdec) {
          result = core::Error(core::ErrorCode::kUnavailable, "upstream answer unreadable", rdec.message());
          co_return;
        }
        result = core::net::FetchResponse{static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      },
      asio::detached);
  // Resolution is not covered by the stream's timer; the loop's own bound covers all.
  ioc.run_for(timeout + std::chrono::milliseconds(50));
  return result;
}

}  // namespace atrium::transport
