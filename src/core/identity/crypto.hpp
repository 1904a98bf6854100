#pragma once
// The few cryptographic primitives identity needs, on OpenSSL.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace atrium::core::identity {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);
// Constant-time comparison of equal-length secrets (false when lengths differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// RFC 4648 base64url without padding.
std::string Base64UrlEncode(std::string_view data);
// Strict: rejects padding, characters outside the alphabet and impossible lengths.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace atrium::core::identity
