#pragma once
// Signed, expiring links (a download's URL): an HMAC-SHA-256 over what the link names,
// with a key derived from the server's token key for this purpose only, so a link
// cannot be altered to name something else or to live longer, and a token signature
// can never pass for a link's or the other way round.

#include <cstdint>
#include <string>
#include <string_view>

namespace atrium::core::identity {

class LinkSigner {
 public:
  // `key`: the server's secret (the access-token key); only a derivation of it is kept.
  explicit LinkSigner(std::string_view key);

  // base64url, 43 characters.
  std::string Sign(std::string_view subject, std::int64_t expires_unix) const;
  // Constant time.
  bool Verify(std::string_view subject, std::int64_t expires_unix, std::string_view signature) const;

 private:
  std::string key_;
};

}  // namespace atrium::core::identity
