#include "core/identity/link_signer.hpp"

#include "core/identity/crypto.hpp"

namespace atrium::core::identity {

LinkSigner::LinkSigner(std::string_view key) : key_(HmacSha256(key, "atrium signed links v1")) {}

std::string LinkSigner::Sign(std::string_view subject, std::int64_t expires_unix) const {
  std::string data(subject);
  data += '\n';
  data += std::to_string(expires_unix);
  return Base64UrlEncode(HmacSha256(key_, data));
}

bool LinkSigner::Verify(std::string_view subject, std::int64_t expires_unix, std::string_view signature) const {
  return ConstantTimeEquals(Sign(subject, expires_unix), signature);
}

}  // namespace atrium::core::identity
