#pragma once
// SHA-256, fed in blocks (a backup's database and blobs may be large).

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

struct evp_md_ctx_st;

namespace atrium::storage::backup {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view bytes);
  std::string HexDigest();  // lower-case; once

 private:
  evp_md_ctx_st* ctx_;
};

// The lower-case hex SHA-256 of a file; kUnavailable when it cannot be read.
core::Result<std::string> FileSha256(const std::filesystem::path& path);

}  // namespace atrium::storage::backup
