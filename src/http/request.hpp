#pragma once
// A request as dialect handlers see it: already read, decoded and bounded by the
// transport. One object per request; handlers may keep references only for the call.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/headers.hpp"
#include "http/method.hpp"

namespace atrium::http {

class Request {
 public:
  Method method = Method::kOther;
  std::string method_text;
  std::string target;  // as received: path and query
  std::string path;    // before percent-decoding
  std::string query;   // after '?', without it
  Headers headers;
  std::string body;
  // Set for routes with RouteOptions::body_to_file: where the body was spooled (0600,
  // an unpredictable name) and its size; `body` is then empty. The transport removes the
  // file once the answer is made; a handler that keeps the bytes renames the file away.
  std::string body_file;
  std::uint64_t body_size = 0;
  std::string remote_address;  // the socket's peer
  std::string client_address;  // the peer, or the client behind a trusted proxy
  std::string request_id;
  std::chrono::steady_clock::time_point received_at{};

  // Path parameters from the matched route pattern, percent-decoded.
  std::vector<std::pair<std::string, std::string>> params;

  std::optional<std::string_view> Param(std::string_view name) const;
  // The first query parameter named `name`, percent- and '+'-decoded.
  std::optional<std::string> QueryParam(std::string_view name) const;
  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }
};

// The client's address: the socket peer, unless that peer is in `trusted_proxies`; then
// the right-most X-Forwarded-For entry that is not itself a trusted proxy.
std::string ClientAddress(const Request& request, const std::vector<std::string>& trusted_proxies);

// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
std::optional<std::string_view> BearerToken(const Request& request);

// Percent-decodes `in`; '+' becomes a space when `plus_is_space`. Malformed escapes are
// kept literally, so decoding never fails.
std::string PercentDecode(std::string_view in, bool plus_is_space);

}  // namespace atrium::http
