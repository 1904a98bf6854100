#include "core/identity/access_tokens.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "core/identity/crypto.hpp"

namespace atrium::core::identity {

namespace {

constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::size_t kMinKeyBytes = 32;

Error Invalid() {
  return Error(ErrorCode::kUnauthenticated, "Invalid or malformed token").WithReason(Reason::kInvalidToken);
}

std::int64_t Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::optional<boost::json::object> DecodeObject(std::string_view part) {
  auto raw = Base64UrlDecode(part);
  if (!raw) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*raw, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::optional<std::string> StringClaim(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> IntClaim(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->as_uint64());
  }
  return std::nullopt;
}

bool HasAudience(const boost::json::object& o, std::string_view audience) {
  const auto* v = o.if_contains("aud");
  if (v == nullptr) return false;
  if (v->is_string()) return v->as_string() == audience;
  if (!v->is_array()) return false;
  for (const auto& item : v->as_array()) {
    if (item.is_string() && item.as_string() == audience) return true;
  }
  return false;
}

}  // namespace

AccessTokenCodec::AccessTokenCodec(std::string key, const Clock& clock, Random& random, AccessTokenOptions options)
    : key_(std::move(key)), clock_(clock), random_(random), options_(std::move(options)) {}

AccessTokenCodec::AccessTokenCodec(std::string key, const Clock& clock, Random& random, std::chrono::seconds lifetime)
    : AccessTokenCodec(std::move(key), clock, random, AccessTokenOptions{.lifetime = lifetime}) {}

IssuedToken AccessTokenCodec::Issue(const std::string& user_id, const std::string& session_id,
                                    const std::string& role) {
  const std::int64_t now = Seconds(clock_.Now());
  boost::json::object claims{{"sub", user_id},
                             {"sid", session_id},
                             {"jti", NewUuid(random_)},
                             {"typ", "access"},
                             {"role", role},
                             {"iat", now},
                             {"exp", now + options_.lifetime.count()},
                             {"iss", options_.issuer},
                             {"aud", options_.audience},
                             {"nbf", now}};
  const std::string signing_input = Base64UrlEncode(kHeader) + "." + Base64UrlEncode(boost::json::serialize(claims));
  return {signing_input + "." + Base64UrlEncode(HmacSha256(key_, signing_input)), options_.lifetime.count()};
}

Result<AccessClaims> AccessTokenCodec::Verify(std::string_view token) const {
  if (token.size() > 4096) return Invalid();
  const auto dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return Invalid();
  const auto dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) return Invalid();

  // The algorithm is pinned: look at nothing else until the header says HS256.
  auto header = DecodeObject(token.substr(0, dot1));
  if (!header) return Invalid();
  const auto alg = StringClaim(*header, "alg");
  if (!alg || *alg != "HS256" || header->contains("crit")) return Invalid();

  const auto signature = Base64UrlDecode(token.substr(dot2 + 1));
  if (!signature || !ConstantTimeEquals(*signature, HmacSha256(key_, token.substr(0, dot2)))) return Invalid();

  auto payload = DecodeObject(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) return Invalid();
  AccessClaims claims;
  const auto typ = StringClaim(*payload, "typ");
  auto sub = StringClaim(*payload, "sub");
  auto sid = StringClaim(*payload, "sid");
  auto jti = StringClaim(*payload, "jti");
  const auto iat = IntClaim(*payload, "iat");
  const auto exp = IntClaim(*payload, "exp");
  if (!typ || *typ != "access" || !sub || !sid || !jti || !iat || !exp) return Invalid();
  const auto iss = StringClaim(*payload, "iss");
  if (!iss || *iss != options_.issuer || !HasAudience(*payload, options_.audience)) return Invalid();
  const std::int64_t now = Seconds(clock_.Now());
  const auto nbf = IntClaim(*payload, "nbf");
  if (payload->contains("nbf") && !nbf) return Invalid();
  if (*iat > now + options_.leeway.count() || (nbf && *nbf > now + options_.leeway.count())) return Invalid();
  if (now >= *exp) {
    return Error(ErrorCode::kUnauthenticated, "Token has expired").WithReason(Reason::kTokenExpired);
  }
  claims.user_id = std::move(*sub);
  claims.session_id = std::move(*sid);
  claims.token_id = std::move(*jti);
  claims.role = StringClaim(*payload, "role").value_or("user");
  claims.issued_at = *iat;
  claims.expires_at = *exp;
  return claims;
}

Result<std::string> LoadSigningKey(const std::string& configured, const std::string& key_file, Random& random) {
  if (!configured.empty()) {
    if (configured.size() < kMinKeyBytes) {
      return Error(ErrorCode::kInvalidArgument, "security.jwt_secret: must be at least 32 bytes");
    }
    return configured;
  }
  std::ifstream in(key_file);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string key = text.str();
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) key.pop_back();
    if (key.size() < kMinKeyBytes) {
      return Error(ErrorCode::kInvalidArgument, "security.jwt_key_file: '" + key_file + "' holds fewer than 32 bytes");
    }
    return key;
  }
  std::uint8_t bytes[32];
  random.Fill(bytes, sizeof bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key;
  for (std::uint8_t b : bytes) {
    key += kHex[b >> 4];
    key += kHex[b & 0x0f];
  }
  const int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return Error(ErrorCode::kUnavailable, "security.jwt_key_file: cannot create '" + key_file + "'");
  const std::string line = key + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Error(ErrorCode::kUnavailable, "security.jwt_key_file: cannot write '" + key_file + "'");
  return key;
}

}  // namespace atrium::core::identity
