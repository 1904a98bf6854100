#pragma once
// A site is one dialect's front door: its routes, its error shape, its CORS rules and
// its metrics. The transport drives it per request:
//
//   Begin(req)             once, when the header has been read
//   Match(req)             to learn the route, its body limit and whether it blocks
//   Handle(req, match)     runs the handler (on a worker thread when it blocks), or
//   Fail(req, error)       for errors the transport found itself (413, 431, 408, ...)
//
// Exactly one of Handle or Fail follows each Begin. Both never throw, add
// X-Request-Id and CORS headers, and record metrics. A Site is immutable after wiring
// and safe to use from many threads.

#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/metrics/request_metrics.hpp"
#include "core/random.hpp"
#include "http/cors_policy.hpp"
#include "http/error_renderer.hpp"
#include "http/router.hpp"

namespace atrium::http {

struct SiteDeps {
  core::metrics::RequestMetrics& metrics;
  const core::Clock& clock;
  core::Random& random;
};

class Site {
 public:
  Site(std::string name, std::unique_ptr<ErrorRenderer> renderer, CorsOptions cors, SiteDeps deps,
       std::size_t default_body_limit);

  Route& Add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});
  // A WebSocket endpoint at `pattern`. A plain GET there is answered 426 Upgrade Required.
  Route& AddWebSocket(std::string_view pattern, WebSocketRoute route);
  // An Engine.IO endpoint (Socket.IO's transport) at `pattern`, for every method: the
  // transport answers long-polling GET/POST and WebSocket upgrades itself.
  void AddEngineIo(std::string_view pattern, engineio::Route route);
  // Ends a request the transport answered itself (Engine.IO polling): request id, CORS
  // headers and metrics, as Handle does.
  void FinishTransportReply(const Request& request, const RouteMatch& match, Response& response) const;
  // The allowed origins of this site's CORS rules, which also guard WebSocket upgrades.
  bool OriginAllowed(const Request& request) const { return cors_.OriginAllowed(request); }

  // A header every response of this site carries unless the handler set it
  // (e.g. a dialect's API version header).
  void AddDefaultHeader(std::string name, std::string value);
  // Peers whose X-Forwarded-For is believed when finding the client's address.
  void SetTrustedProxies(std::vector<std::string> proxies);

  const std::string& name() const { return name_; }
  const Router& router() const { return router_; }
  const ErrorRenderer& renderer() const { return *renderer_; }
  // The site's injected randomness (ids of real-time sessions).
  core::Random& random() const { return deps_.random; }

  void Begin(Request& request, std::string_view incoming_request_id) const;
  RouteMatch Match(const Request& request) const;
  std::size_t BodyLimit(const RouteMatch& match) const;
  // True when Handle must run on a worker thread for this match.
  static bool Blocks(const RouteMatch& match) { return match.route != nullptr && match.route->options.blocking; }

  Response Handle(Request& request, const RouteMatch& match) const;
  Response Fail(const Request& request, const ApiError& error) const;
  // Ends the request part of a successful WebSocket upgrade (101) for metrics.
  void FinishUpgrade(const Request& request, const RouteMatch& match) const;

 private:
  Response Run(Request& request, const RouteMatch& match) const;
  Response Render(const ApiError& error, const Request& request) const;
  void Finish(const Request& request, const RouteMatch* match, Response& response) const;

  std::string name_;
  std::unique_ptr<ErrorRenderer> renderer_;
  CorsPolicy cors_;
  SiteDeps deps_;
  core::metrics::DialectStats* stats_;
  std::size_t default_body_limit_;
  Router router_;
  Headers default_headers_;
  std::vector<std::string> trusted_proxies_;
};

}  // namespace atrium::http
