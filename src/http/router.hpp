#pragma once
// Maps (method, path) to a route. Patterns are '/'-separated segments; a segment is a
// literal, `{name}` or `:name`. Literal segments win over parameters at the same depth
// (so `/curricula/archived` beats `/curricula/{id}`), with backtracking. A trailing
// slash is ignored on both sides. HEAD falls back to GET.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/handler.hpp"
#include "http/method.hpp"
#include "http/socketio/engine.hpp"
#include "http/websocket.hpp"

namespace atrium::http {

struct Route {
  Method method;
  std::string pattern;
  std::vector<std::string> param_names;  // in path order
  Handler handler;
  RouteOptions options;
  void* stats = nullptr;  // opaque per-route slot for the site (metrics)
  // Set for WebSocket endpoints (GET routes that accept an upgrade).
  std::shared_ptr<const WebSocketRoute> websocket;
  // Set for Engine.IO endpoints (polling and WebSocket), which the transport serves.
  std::shared_ptr<const engineio::Route> engineio;
};

struct RouteMatch {
  const Route* route = nullptr;     // null when nothing matched the method
  bool path_found = false;          // some route has this path (then 405, not 404)
  std::vector<Method> allowed;      // methods that would match this path
  std::vector<std::string> values;  // raw (still percent-encoded) parameter values
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registers a route. Throws std::invalid_argument on a malformed pattern or a
  // duplicate (method, pattern): both are programmer errors found at start-up.
  Route& Add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});

  // Never throws; any input (however hostile) gives a match or a miss.
  RouteMatch Find(Method method, std::string_view path) const;

  // Every registered route, in registration order.
  std::vector<const Route*> routes() const;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

// Splits a path into segments, ignoring one trailing slash. Returns false for paths that
// do not start with '/' or that contain empty segments.
bool SplitPath(std::string_view path, std::vector<std::string_view>& segments);

}  // namespace atrium::http
