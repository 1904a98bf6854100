#pragma once
// The container of an `atrium backup`: a gzip-compressed tar (libarchive) holding
// regular files only. The reader trusts nothing in it: an entry's name must be a
// relative path of plain components (no "..", no absolute path, no NUL), every entry
// must be a regular file, and the entry count and total size are bounded, so an archive
// that is not ours cannot write outside the directory it is unpacked into.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

struct archive;

namespace atrium::storage::backup {

class ArchiveWriter {
 public:
  // Creates (truncates) `path`.
  static core::Result<std::unique_ptr<ArchiveWriter>> Create(const std::filesystem::path& path);
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  struct Added {
    std::uint64_t size = 0;
    std::string sha256;  // of the bytes written, as they were read
  };
  core::Result<Added> AddBytes(std::string_view name, std::string_view bytes);
  // kNotFound when `file` is gone (a blob deleted since it was listed): nothing is written.
  core::Result<Added> AddFile(std::string_view name, const std::filesystem::path& file);
  // Writes the end of the archive and flushes it; the file is complete only after this.
  core::Result<void> Close();

 private:
  explicit ArchiveWriter(struct archive* a) : a_(a) {}
  core::Result<void> Header(std::string_view name, std::uint64_t size);
  struct archive* a_;
};

struct ExtractLimits {
  std::uint64_t max_entries = 10'000'000;
  std::uint64_t max_total_bytes = 1ull << 42;  // 4 TiB
};

struct ExtractedEntry {
  std::string name;
  std::uint64_t size = 0;
};

// True for a name ExtractArchive accepts.
bool IsSafeEntryName(std::string_view name);

// Unpacks every entry of `archive_path` under `dest` (which must exist), creating
// directories as needed. kInvalidArgument for an archive that is not a gzip tar of
// regular files with safe names, is truncated, or passes a limit.
core::Result<std::vector<ExtractedEntry>> ExtractArchive(const std::filesystem::path& archive_path,
                                                         const std::filesystem::path& dest,
                                                         const ExtractLimits& limits = {});

}  // namespace atrium::storage::backup
