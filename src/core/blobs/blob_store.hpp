#pragma once
// Opaque binary objects (generated images, uploaded documents, rendered media) kept
// outside the database, addressed by a key the core chooses. The embedded default is
// a directory of files; a shared object store can replace it for several instances.
//
// Thread-safety: every method may be called from any thread. All of them block.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace atrium::core::blobs {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores `bytes` under `key` (letters, digits, '-', '_', '.', and '/' between
  // segments), replacing what was there. When it returns Ok the object is durable.
  virtual Result<void> Put(std::string_view key, std::string_view bytes) = 0;
  // kNotFound when there is no such object.
  virtual Result<std::string> Get(std::string_view key) = 0;
  // Removing a missing object succeeds.
  virtual Result<void> Remove(std::string_view key) = 0;
  // Stores `length` bytes of the local file `source` from `offset` under `key`, copied
  // in blocks (a large upload is never whole in memory). kInvalidArgument when the
  // file is shorter than offset + length. Durable when it returns Ok, like Put.
  virtual Result<void> PutFile(std::string_view key, const std::filesystem::path& source, std::uint64_t offset,
                               std::uint64_t length) = 0;
  // A path on this machine to read the object from (an extractor opens it), valid until
  // the object is replaced or removed. kNotFound when there is no such object.
  virtual Result<std::filesystem::path> LocalPath(std::string_view key) = 0;
};

// True for keys BlobStore accepts: 1-200 characters, segments of [A-Za-z0-9_.-] that are
// not "." or "..", separated by single '/'. Inline so that stores need no core library.
inline bool ValidBlobKey(std::string_view key) {
  if (key.empty() || key.size() > 200) return false;
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t slash = std::min(key.find('/', start), key.size());
    const std::string_view segment = key.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (char c : segment) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.';
      if (!ok) return false;
    }
    start = slash + 1;
  }
  return true;
}

}  // namespace atrium::core::blobs
