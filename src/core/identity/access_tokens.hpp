#pragma once
// Access tokens: JWT signed with HS256 and nothing else. The header's algorithm is
// checked against the pinned one before anything else, so `alg: none`, HS512 or RS256
// tokens (including the RS256/HS256 key-confusion trick) never verify.

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

struct IssuedToken {
  std::string token;
  std::int64_t expires_in = 0;  // seconds
};

class AccessTokenCodec {
 public:
  // `key` must be at least 32 bytes (the caller checks at start-up).
  AccessTokenCodec(std::string key, const Clock& clock, Random& random,
                   std::chrono::seconds lifetime = std::chrono::minutes(15));

  IssuedToken Issue(const std::string& user_id, const std::string& session_id, const std::string& role);
  // Errors are kUnauthenticated with reason "invalid_token" or "token_expired".
  Result<AccessClaims> Verify(std::string_view token) const;

  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  std::string key_;
  const Clock& clock_;
  Random& random_;
  std::chrono::seconds lifetime_;
};

// The signing key: `configured` when set (it must be 32+ bytes), otherwise the key in
// `key_file`, created with 32 random bytes (hex) and mode 0600 on first start.
Result<std::string> LoadSigningKey(const std::string& configured, const std::string& key_file, Random& random);

}  // namespace atrium::core::identity
