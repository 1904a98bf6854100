#pragma once
// BlobStore on a local directory: one file per key. A Put writes a temporary file,
// fsyncs it and renames it into place, so a reader sees the old object or the new one,
// never half of one, and an acknowledged Put survives a power cut.

#include <atomic>
#include <filesystem>
#include <string>

#include "core/blobs/blob_store.hpp"

namespace atrium::storage::files {

class FileBlobStore final : public core::blobs::BlobStore {
 public:
  explicit FileBlobStore(std::filesystem::path root) : root_(std::move(root)) {}

  core::Result<void> Put(std::string_view key, std::string_view bytes) override;
  core::Result<std::string> Get(std::string_view key) override;
  core::Result<void> Remove(std::string_view key) override;
  core::Result<void> PutFile(std::string_view key, const std::filesystem::path& source, std::uint64_t offset,
                             std::uint64_t length) override;
  core::Result<std::filesystem::path> LocalPath(std::string_view key) override;

 private:
  core::Result<std::filesystem::path> PathOf(std::string_view key) const;
  // Writes a temporary file beside `path` with `fill`, fsyncs it and renames it into place.
  template <typename Fill>
  core::Result<void> WriteAtomically(const std::filesystem::path& path, Fill&& fill);

  std::filesystem::path root_;
  std::atomic<unsigned> next_tmp_{0};  // distinct temporary names for concurrent Puts
};

}  // namespace atrium::storage::files
