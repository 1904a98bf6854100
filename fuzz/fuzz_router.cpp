// Router::Find on hostile paths. Input: byte 0 picks the method, the rest is the path.
// Checks Find against a brute-force matcher over the same patterns: among the matching
// patterns that serve the method (HEAD served by GET), the router must pick the one whose
// segments are most literal, earliest first (literals beat parameters at the same depth,
// with backtracking); when none serves it, the most literal matching pattern, for a 405.
// Either way `allowed` is every method some matching pattern serves.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/router.hpp"

namespace {

using atrium::http::Method;
using atrium::http::Router;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// A slice of /work/shared/spec/endpoints.tsv from every dialect: both parameter styles,
// literal-versus-parameter siblings (archived vs {curriculum_id}, search vs :id,
// messages vs :conversation_id), trailing-slash patterns and one route per method on a path.
const std::vector<std::pair<Method, std::string>>& Patterns() {
  static const std::vector<std::pair<Method, std::string>> kPatterns = {
      {Method::kGet, "/health"},
      {Method::kGet, "/ready"},
      {Method::kGet, "/ready/all"},
      {Method::kGet, "/metrics/prometheus"},
      {Method::kGet, "/api/auth/me"},
      {Method::kPatch, "/api/auth/me"},
      {Method::kDelete, "/api/auth/devices/{device_id}"},
      {Method::kGet, "/api/curricula"},
      {Method::kGet, "/api/curricula/{curriculum_id}"},
      {Method::kPut, "/api/curricula/{curriculum_id}"},
      {Method::kDelete, "/api/curricula/{curriculum_id}"},
      {Method::kGet, "/api/curricula/{curriculum_id}/full"},
      {Method::kGet, "/api/curricula/{curriculum_id}/full-with-assets"},
      {Method::kPost, "/api/curricula/{curriculum_id}/archive"},
      {Method::kGet, "/api/curricula/{curriculum_id}/topics/{topic_id}/transcript"},
      {Method::kPatch, "/api/curricula/{curriculum_id}/topics/{topic_id}/assets/{asset_id}"},
      {Method::kDelete, "/api/curricula/{curriculum_id}/topics/{topic_id}/assets/{asset_id}"},
      {Method::kGet, "/api/curricula/archived"},
      {Method::kPost, "/api/curricula/archived/{file_name}/unarchive"},
      {Method::kPost, "/api/curricula/reload"},
      {Method::kGet, "/api/conversations"},
      {Method::kPost, "/api/conversations"},
      {Method::kGet, "/api/conversations/:id"},
      {Method::kPut, "/api/conversations/:id"},
      {Method::kDelete, "/api/conversations/:id"},
      {Method::kGet, "/api/conversations/:id/export"},
      {Method::kGet, "/api/conversations/search"},
      {Method::kGet, "/api/conversations/search/messages"},
      {Method::kGet, "/api/chat/:conversation_id/messages"},
      {Method::kPut, "/api/chat/messages/:id"},
      {Method::kDelete, "/api/chat/messages/:id"},
      {Method::kPost, "/api/chat/regenerate/:id"},
      {Method::kGet, "/api/gallery/saved"},
      {Method::kGet, "/api/gallery/:id"},
      {Method::kGet, "/api/prompt-templates/"},
      {Method::kPost, "/api/prompt-templates/"},
      {Method::kPut, "/api/prompt-templates/:id"},
      {Method::kGet, "/api/admin/users/:id/history"},
      {Method::kGet, "/api/v1/networks/{network_id}/interactions/{interaction_id}"},
      {Method::kPost, "/api/v1/networks/{network_id}/interactions/{interaction_id}/process"},
      {Method::kGet, "/ws/{network_id}"},
      {Method::kGet, "/socket.io/"},
  };
  return kPatterns;
}

bool IsParamSegment(std::string_view seg) {
  return (seg.size() >= 3 && seg.front() == '{' && seg.back() == '}') || (seg.size() >= 2 && seg.front() == ':');
}

struct Reference {
  Method method;
  std::vector<std::string_view> segments;
};

const std::vector<Reference>& References() {
  static const std::vector<Reference> kRefs = [] {
    std::vector<Reference> refs;
    for (const auto& [method, pattern] : Patterns()) {
      Reference ref{method, {}};
      Check(atrium::http::SplitPath(pattern, ref.segments));
      refs.push_back(std::move(ref));
    }
    return refs;
  }();
  return kRefs;
}

// The literal/parameter shape of `pattern` when it matches `path`: 'L' or 'P' per segment.
bool Matches(const Reference& ref, const std::vector<std::string_view>& path, std::string& shape) {
  if (ref.segments.size() != path.size()) return false;
  shape.clear();
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (IsParamSegment(ref.segments[i])) {
      shape += 'P';
    } else if (ref.segments[i] == path[i]) {
      shape += 'L';
    } else {
      return false;
    }
  }
  return true;
}

// SplitPath, written differently: "/" is the root; one trailing slash is ignored; every
// other segment must be non-empty.
bool ReferenceSplit(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return false;
  if (path == "/") return true;
  std::string_view body = path.substr(1);
  if (body.back() == '/') body.remove_suffix(1);
  if (body.empty()) return false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    if (i < body.size() && body[i] != '/') continue;
    if (i == start) return false;
    out.push_back(body.substr(start, i - start));
    start = i + 1;
  }
  return true;
}

const Router& TheRouter() {
  static const Router kRouter = [] {
    Router router;
    for (const auto& [method, pattern] : Patterns()) {
      router.Add(method, pattern,
                 [](atrium::http::Request&) -> atrium::http::Reply { return atrium::http::Response{}; });
    }
    return router;
  }();
  return kRouter;
}

bool Contains(const std::vector<Method>& methods, Method m) {
  for (const Method x : methods) {
    if (x == m) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Router& router = TheRouter();
  const auto method = static_cast<Method>(data[0] % (static_cast<int>(Method::kOther) + 1));
  const std::string_view path(reinterpret_cast<const char*>(data + 1), size - 1);

  const atrium::http::RouteMatch match = router.Find(method, path);

  // The invariants the site relies on.
  if (match.route != nullptr) {
    Check(match.path_found);
    Check(match.values.size() == match.route->param_names.size());
    Check(match.route->method == method || (method == Method::kHead && match.route->method == Method::kGet));
  }
  if (!match.path_found) {
    Check(match.route == nullptr);
    Check(match.allowed.empty());
    Check(match.values.empty());
  } else {
    Check(!match.allowed.empty());
  }
  // Every allowed method is served at this path (perhaps by a route of another shape:
  // a method is routed to the most literal pattern that serves it).
  for (const Method m : match.allowed) Check(router.Find(m, path).route != nullptr);

  // Against the brute-force matcher.
  std::vector<std::string_view> segments;
  std::vector<std::string_view> expected_segments;
  const bool split = atrium::http::SplitPath(path, segments);
  Check(split == ReferenceSplit(path, expected_segments));
  if (!split) {
    Check(!match.path_found);
    return 0;
  }
  Check(segments == expected_segments);

  std::string best;  // most literal-first shape among matching patterns; 'L' < 'P'
  std::string best_serving;
  bool any = false;
  bool any_serving = false;
  std::string shape;
  for (const auto& ref : References()) {
    if (!Matches(ref, segments, shape)) continue;
    if (!any || shape < best) best = shape;
    any = true;
    const bool serves = ref.method == method || (method == Method::kHead && ref.method == Method::kGet);
    if (serves && (!any_serving || shape < best_serving)) best_serving = shape;
    any_serving = any_serving || serves;
  }
  Check(any == match.path_found);
  if (!any) return 0;
  if (any_serving) best = best_serving;

  std::vector<Method> expected_allowed;
  const Reference* expected_route = nullptr;
  const Reference* get_route = nullptr;
  bool any_get = false;
  for (const auto& ref : References()) {
    if (!Matches(ref, segments, shape)) continue;
    if (!Contains(expected_allowed, ref.method)) expected_allowed.push_back(ref.method);
    any_get = any_get || ref.method == Method::kGet;
    if (shape != best) continue;
    if (ref.method == method) expected_route = &ref;
    if (ref.method == Method::kGet) get_route = &ref;
  }
  if (any_get && !Contains(expected_allowed, Method::kHead)) expected_allowed.push_back(Method::kHead);
  if (expected_route == nullptr && method == Method::kHead) expected_route = get_route;

  Check(expected_allowed.size() == match.allowed.size());
  for (const Method m : expected_allowed) Check(Contains(match.allowed, m));
  Check((expected_route != nullptr) == (match.route != nullptr));
  if (match.route == nullptr) return 0;

  // The parameter values are exactly the path's segments at the pattern's parameters.
  std::vector<std::string_view> pattern_segments;
  Check(atrium::http::SplitPath(match.route->pattern, pattern_segments));
  Check(pattern_segments == expected_route->segments);
  std::size_t v = 0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (best[i] != 'P') continue;
    Check(v < match.values.size() && match.values[v] == segments[i]);
    ++v;
  }
  Check(v == match.values.size());
  return 0;
}
