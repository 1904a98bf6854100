#include "storage/backup/file_digest.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <vector>

namespace atrium::storage::backup {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::Update(std::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }

std::string Sha256::HexDigest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_, md, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

core::Result<std::string> FileSha256(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return core::Error(core::ErrorCode::kUnavailable, "cannot read " + path.string());
  Sha256 sha;
  std::vector<char> buf(1 << 16);
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) sha.Update({buf.data(), n});
  if (std::ferror(f.get())) return core::Error(core::ErrorCode::kUnavailable, "cannot read " + path.string());
  return sha.HexDigest();
}

}  // namespace atrium::storage::backup
