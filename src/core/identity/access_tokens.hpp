#pragma once
// Access tokens: JWT signed with HS256 and nothing else. The header's algorithm is
// checked against the pinned one before anything else, so `alg: none`, HS512 or RS256
// tokens (including the RS256/HS256 key-confusion trick) never verify. Tokens carry
// `iss` and `aud` (both required on verification) and `nbf`; a token whose `iat` or
// `nbf` lies more than the leeway in the future is refused, so a token minted for later
// (or by a host whose clock runs ahead by more than that) does not work yet.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"

namespace atrium::core::identity {

struct AccessClaims {
  std::string user_id;     // sub
  std::string session_id;  // sid
  std::string token_id;    // jti
  std::string role;
  std::int64_t issued_at = 0;   // iat, seconds since the epoch
  std::int64_t expires_at = 0;  // exp
};

// What tokens are minted with and checked against.
struct AccessTokenOptions {
  std::chrono::seconds lifetime = std::chrono::minutes(15);
  std::string issuer = "atrium";    // iss: must be exactly this
  std::string audience = "atrium";  // aud: a string equal to it, or an array holding it
  // Clock skew tolerated for `nbf` and `iat` (not for `exp`: tokens expire on the
  // server's own clock, which also minted them).
  std::chrono::seconds leeway = std::chrono::seconds(30);
};

struct IssuedToken {
  std::string token;
  std::int64_t expires_in = 0;  // seconds
};

class AccessTokenCodec {
 public:
  // `key` must be at least 32 bytes (the caller checks at start-up).
  AccessTokenCodec(std::string key, const Clock& clock, Random& random, AccessTokenOptions options);
  AccessTokenCodec(std::string key, const Clock& clock, Random& random,
                   std::chrono::seconds lifetime = std::chrono::minutes(15));

  IssuedToken Issue(const std::string& user_id, const std::string& session_id, const std::string& role);
  // Errors are kUnauthenticated with reason "invalid_token" (also for a wrong or
  // missing `iss`/`aud` and a token not valid yet) or "token_expired".
  Result<AccessClaims> Verify(std::string_view token) const;

  std::chrono::seconds lifetime() const { return options_.lifetime; }

 private:
  std::string key_;
  const Clock& clock_;
  Random& random_;
  AccessTokenOptions options_;
};

// The signing key: `configured` when set (it must be 32+ bytes), otherwise the key in
// `key_file`, created with 32 random bytes (hex) and mode 0600 on first start.
Result<std::string> LoadSigningKey(const std::string& configured, const std::string& key_file, Random& random);

}  // namespace atrium::core::identity
