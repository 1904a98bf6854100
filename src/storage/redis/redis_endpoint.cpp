#include "storage/redis/redis_endpoint.hpp"

#include <charconv>

namespace atrium::storage::redis {

namespace {

bool ParseInt(std::string_view text, int lo, int hi, int& out) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < lo || value > hi) return false;
  out = value;
  return true;
}

core::Error Bad(std::string reason) { return core::Error(core::ErrorCode::kInvalidArgument, std::move(reason)); }

}  // namespace

core::Result<RedisEndpoint> ParseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) return Bad("must be a redis://host:port/db URL");
  std::string_view rest = url.substr(kScheme.size());
  RedisEndpoint out;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (const auto colon = credentials.find(':'); colon != std::string_view::npos) {
      out.user = std::string(credentials.substr(0, colon));
      out.password = std::string(credentials.substr(colon + 1));
    } else {
      out.password = std::string(credentials);
    }
  }
  std::string_view authority = rest;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && !ParseInt(db, 0, 15, out.database)) return Bad("the database must be a number from 0 to 15");
  }
  if (authority.starts_with('[')) {  // [::1]:6379
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return Bad("an IPv6 host must end with ']'");
    out.host = std::string(authority.substr(1, close - 1));
    authority = authority.substr(close + 1);
    if (!authority.empty() && (!authority.starts_with(':') || !ParseInt(authority.substr(1), 1, 65535, out.port))) {
      return Bad("the port must be a number from 1 to 65535");
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    out.host = std::string(authority.substr(0, colon));
    if (!ParseInt(authority.substr(colon + 1), 1, 65535, out.port))
      return Bad("the port must be a number from 1 to 65535");
  } else if (!authority.empty()) {
    out.host = std::string(authority);
  }
  if (out.host.empty()) return Bad("the URL names no host");
  return out;
}

}  // namespace atrium::storage::redis
