#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace atrium::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  std::vector<Route*> routes;  // routes ending here, one per method
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

bool SplitPath(std::string_view path, std::vector<std::string_view>& segments) {
  segments.clear();
  if (path.empty() || path.front() != '/') return false;
  if (path.size() > 1 && path.back() == '/') {
    path.remove_suffix(1);
    if (path.back() == '/') return false;  // "//" and "/a//": an empty segment
  }
  path.remove_prefix(1);
  if (path.empty()) return true;  // the root
  for (;;) {
    const auto slash = path.find('/');
    const std::string_view seg = path.substr(0, slash);
    if (seg.empty()) return false;
    segments.push_back(seg);
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

namespace {

bool IsParam(std::string_view seg, std::string_view& name) {
  if (seg.size() >= 3 && seg.front() == '{' && seg.back() == '}') {
    name = seg.substr(1, seg.size() - 2);
    return true;
  }
  if (seg.size() >= 2 && seg.front() == ':') {
    name = seg.substr(1);
    return true;
  }
  return false;
}

}  // namespace

Route& Router::Add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  std::vector<std::string_view> segments;
  if (!SplitPath(pattern, segments)) throw std::invalid_argument("bad route pattern: " + std::string(pattern));
  auto route = std::make_unique<Route>();
  route->method = method;
  route->pattern = std::string(pattern);
  route->handler = std::move(handler);
  route->options = options;

  Node* node = root_.get();
  for (auto seg : segments) {
    std::string_view name;
    if (IsParam(seg, name)) {
      route->param_names.emplace_back(name);
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
    } else {
      auto it = node->literals.find(seg);
      if (it == node->literals.end()) it = node->literals.emplace(std::string(seg), std::make_unique<Node>()).first;
      node = it->second.get();
    }
  }
  for (const Route* r : node->routes) {
    if (r->method == method) throw std::invalid_argument("duplicate route: " + std::string(pattern));
  }
  node->routes.push_back(route.get());
  routes_.push_back(std::move(route));
  return *routes_.back();
}

namespace {

// Depth-first search, literals before parameters. Returns the first terminal node (in
// that order) that matches all segments and that `accept` takes, collecting parameter
// values along the way.
template <class NodeT, class Accept>
const NodeT* Walk(const NodeT* node, const std::vector<std::string_view>& segs, std::size_t i,
                  std::vector<std::string>& values, const Accept& accept) {
  if (i == segs.size()) return accept(*node) ? node : nullptr;
  if (auto it = node->literals.find(segs[i]); it != node->literals.end()) {
    if (const NodeT* found = Walk(it->second.get(), segs, i + 1, values, accept)) return found;
  }
  if (node->param) {
    values.emplace_back(segs[i]);
    if (const NodeT* found = Walk(node->param.get(), segs, i + 1, values, accept)) return found;
    values.pop_back();
  }
  return nullptr;
}

}  // namespace

RouteMatch Router::Find(Method method, std::string_view path) const {
  RouteMatch match;
  std::vector<std::string_view> segments;
  if (!SplitPath(path, segments)) return match;
  // First the best node that serves this method (so /chat/messages/messages can reach
  // /chat/:id/messages for GET even though a literal branch also matches), else the best
  // node with any route, for a 405 that lists its methods.
  auto serves = [method](const Node& n) {
    for (const Route* r : n.routes) {
      if (r->method == method || (method == Method::kHead && r->method == Method::kGet)) return true;
    }
    return false;
  };
  const Node* node = Walk(root_.get(), segments, 0, match.values, serves);
  if (node == nullptr) {
    match.values.clear();
    node = Walk(root_.get(), segments, 0, match.values, [](const Node& n) { return !n.routes.empty(); });
  }
  if (node == nullptr) {
    match.values.clear();
    return match;
  }
  match.path_found = true;
  for (const Route* r : node->routes) {
    if (r->method == method) match.route = r;
    if (match.route == nullptr && method == Method::kHead && r->method == Method::kGet) match.route = r;
  }
  // Allowed: every method some pattern serves at this path, whatever its shape.
  std::vector<std::string> scratch;
  bool get = false;
  Walk(root_.get(), segments, 0, scratch, [&](const Node& n) {
    for (const Route* r : n.routes) {
      if (std::find(match.allowed.begin(), match.allowed.end(), r->method) == match.allowed.end()) {
        match.allowed.push_back(r->method);
      }
      get = get || r->method == Method::kGet;
    }
    return false;  // keep walking: collect them all
  });
  if (get && std::find(match.allowed.begin(), match.allowed.end(), Method::kHead) == match.allowed.end()) {
    match.allowed.push_back(Method::kHead);
  }
  return match;
}

std::vector<const Route*> Router::routes() const {
  std::vector<const Route*> out;
  for (const auto& r : routes_) out.push_back(r.get());
  return out;
}

}  // namespace atrium::http
