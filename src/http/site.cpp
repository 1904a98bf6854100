#include "http/site.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "http/request_id.hpp"

namespace atrium::http {

namespace {

std::string AllowHeader(const std::vector<Method>& allowed) {
  std::string out;
  std::vector<Method> seen;
  for (Method m : allowed) {
    if (m == Method::kOptions || std::find(seen.begin(), seen.end(), m) != seen.end()) continue;
    seen.push_back(m);
    out += MethodName(m);
    out += ", ";
  }
  out += "OPTIONS";
  return out;
}

}  // namespace

Site::Site(std::string name, std::unique_ptr<ErrorRenderer> renderer, CorsOptions cors, SiteDeps deps,
           std::size_t default_body_limit)
    : name_(std::move(name)),
      renderer_(std::move(renderer)),
      cors_(std::move(cors)),
      deps_(deps),
      stats_(deps.metrics.Dialect(name_)),
      default_body_limit_(default_body_limit) {}

Route& Site::Add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  Route& route = router_.Add(method, pattern, std::move(handler), options);
  route.stats = deps_.metrics.Route(name_, MethodName(method), pattern);
  return route;
}

Route& Site::AddWebSocket(std::string_view pattern, WebSocketRoute ws) {
  Route& route = Add(Method::kGet, pattern, [](Request&) -> Reply {
    ApiError e = MakeError(ErrorKind::kBadRequest, "This endpoint speaks WebSocket only");
    e.status = 426;
    e.headers.Set("Upgrade", "websocket");
    return e;
  });
  route.websocket = std::make_shared<const WebSocketRoute>(std::move(ws));
  return route;
}

void Site::AddEngineIo(std::string_view pattern, engineio::Route engine) {
  auto shared = std::make_shared<const engineio::Route>(std::move(engine));
  const RouteOptions options{.body_limit = shared->options.max_payload, .blocking = false};
  // The transport serves these; the handler only answers if a request reaches it anyway.
  auto unreachable = [](Request&) -> Reply { return MakeError(ErrorKind::kBadRequest, "Bad request"); };
  for (Method m : {Method::kGet, Method::kPost, Method::kPut, Method::kPatch, Method::kDelete}) {
    Add(m, pattern, unreachable, options).engineio = shared;
  }
}

void Site::FinishTransportReply(const Request& request, const RouteMatch& match, Response& response) const {
  Finish(request, &match, response);
}

void Site::AddDefaultHeader(std::string name, std::string value) { default_headers_.Set(name, value); }

void Site::SetTrustedProxies(std::vector<std::string> proxies) { trusted_proxies_ = std::move(proxies); }

void Site::Begin(Request& request, std::string_view incoming_request_id) const {
  request.request_id = ChooseRequestId(incoming_request_id, deps_.random);
  request.client_address = ClientAddress(request, trusted_proxies_);
  stats_->active_requests.fetch_add(1, std::memory_order_relaxed);
}

RouteMatch Site::Match(const Request& request) const {
  Method method = request.method;
  // A preflight is answered for any path that exists, whatever methods it has.
  if (CorsPolicy::IsPreflight(request)) method = Method::kOther;
  return router_.Find(method, request.path);
}

std::size_t Site::BodyLimit(const RouteMatch& match) const {
  if (match.route != nullptr && match.route->options.body_limit != 0) return match.route->options.body_limit;
  return default_body_limit_;
}

Response Site::Run(Request& request, const RouteMatch& match) const {
  if (!match.path_found) return renderer_->Render(MakeError(ErrorKind::kNotFound, "Not found"), request);
  if (CorsPolicy::IsPreflight(request)) return cors_.Preflight(request, match.allowed);
  if (match.route == nullptr) {
    if (request.method == Method::kOptions) {
      Response r = Response::Empty(204);
      r.headers.Set("Allow", AllowHeader(match.allowed));
      return r;
    }
    Response r = renderer_->Render(MakeError(ErrorKind::kMethodNotAllowed, "Method not allowed"), request);
    r.headers.Set("Allow", AllowHeader(match.allowed));
    return r;
  }
  const Route& route = *match.route;
  request.params.clear();
  for (std::size_t i = 0; i < route.param_names.size() && i < match.values.size(); ++i) {
    request.params.emplace_back(route.param_names[i], PercentDecode(match.values[i], false));
  }
  try {
    Reply reply = route.handler(request);
    if (auto* response = std::get_if<Response>(&reply)) return std::move(*response);
    return Render(std::get<ApiError>(reply), request);
  } catch (const std::exception& e) {
    spdlog::error("{} {} {} failed: {} (request {})", name_, MethodName(request.method), request.path, e.what(),
                  request.request_id);
  } catch (...) {
    spdlog::error("{} {} {} failed with a non-standard exception (request {})", name_, MethodName(request.method),
                  request.path, request.request_id);
  }
  return renderer_->Render(MakeError(ErrorKind::kInternal, "Internal server error"), request);
}

Response Site::Handle(Request& request, const RouteMatch& match) const {
  Response response = Run(request, match);
  Finish(request, &match, response);
  return response;
}

Response Site::Render(const ApiError& error, const Request& request) const {
  Response response = renderer_->Render(error, request);
  for (const auto& [name, value] : error.headers.fields()) response.headers.Set(name, value);
  return response;
}

Response Site::Fail(const Request& request, const ApiError& error) const {
  Response response = Render(error, request);
  Finish(request, nullptr, response);
  return response;
}

void Site::FinishUpgrade(const Request& request, const RouteMatch& match) const {
  Response switching = Response::Empty(101);
  Finish(request, &match, switching);
}

void Site::Finish(const Request& request, const RouteMatch* match, Response& response) const {
  response.headers.Set("X-Request-Id", request.request_id);
  for (const auto& [name, value] : default_headers_.fields()) {
    if (!response.headers.Has(name)) response.headers.Add(name, value);
  }
  cors_.Decorate(request, response);
  const auto latency =
      std::chrono::duration_cast<std::chrono::microseconds>(deps_.clock.Steady() - request.received_at);
  auto* route_stats = (match != nullptr && match->route != nullptr)
                          ? static_cast<core::metrics::RouteStats*>(match->route->stats)
                          : &stats_->unmatched;
  if (route_stats != nullptr) route_stats->Record(response.status, latency);
  stats_->rate.Add(std::chrono::duration_cast<std::chrono::seconds>(deps_.clock.Steady().time_since_epoch()).count());
  stats_->active_requests.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace atrium::http
