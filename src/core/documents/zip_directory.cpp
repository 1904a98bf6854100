#include "core/documents/zip_directory.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace atrium::core::documents {

namespace {

constexpr std::string_view kEndOfDirectory = "PK\x05\x06";
constexpr std::string_view kZip64Locator = "PK\x06\x07";
constexpr std::string_view kZip64End = "PK\x06\x06";
constexpr std::string_view kDirectoryEntry = "PK\x01\x02";
constexpr std::string_view kLocalHeader = "PK\x03\x04";
constexpr std::size_t kEndOfDirectorySize = 22;
constexpr std::size_t kMaxComment = 0xFFFF;
constexpr std::size_t kLocalHeadersScanned = 64;

std::uint64_t Le(std::string_view s, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

// `count` bytes at `offset`, or nullopt when the file has fewer.
std::optional<std::string> ReadAt(std::istream& in, std::uint64_t size, std::uint64_t offset, std::size_t count) {
  if (offset > size || count > size - offset) return std::nullopt;
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in) return std::nullopt;
  std::string bytes(count, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(count));
  if (static_cast<std::size_t>(in.gcount()) != count) return std::nullopt;
  return bytes;
}

struct Directory {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint64_t entries = 0;
};

// The end-of-directory record nearest the end (its comment may hold anything), and
// the ZIP64 record it points to when its fields are saturated.
std::optional<Directory> FindDirectory(std::istream& in, std::uint64_t size, std::uint64_t& end_at) {
  if (size < kEndOfDirectorySize) return std::nullopt;
  const std::uint64_t tail_size = std::min<std::uint64_t>(size, kEndOfDirectorySize + kMaxComment);
  auto tail = ReadAt(in, size, size - tail_size, static_cast<std::size_t>(tail_size));
  if (!tail) return std::nullopt;
  std::size_t at = tail->size() - kEndOfDirectorySize;
  while (true) {
    if (std::string_view(*tail).substr(at, 4) == kEndOfDirectory &&
        at + kEndOfDirectorySize + Le(*tail, at + 20, 2) <= tail->size()) {
      break;
    }
    if (at == 0) return std::nullopt;
    --at;
  }
  end_at = size - tail_size + at;
  Directory d{Le(*tail, at + 16, 4), Le(*tail, at + 12, 4), Le(*tail, at + 10, 2)};
  if (d.offset != 0xFFFFFFFFu && d.size != 0xFFFFFFFFu && d.entries != 0xFFFFu) return d;
  if (end_at < 20) return std::nullopt;
  auto locator = ReadAt(in, size, end_at - 20, 20);
  if (!locator || locator->substr(0, 4) != kZip64Locator) return std::nullopt;
  const std::uint64_t record_at = Le(*locator, 8, 8);
  auto record = ReadAt(in, size, record_at, 56);
  if (!record || record->substr(0, 4) != kZip64End) return std::nullopt;
  end_at = record_at;
  return Directory{Le(*record, 48, 8), Le(*record, 40, 8), Le(*record, 32, 8)};
}

// Whether the central directory names the entry; nullopt when there is none to read.
std::optional<bool> DirectoryHas(std::istream& in, std::uint64_t size, std::string_view name, std::size_t max_bytes) {
  std::uint64_t end_at = 0;
  auto d = FindDirectory(in, size, end_at);
  if (!d || d->size > max_bytes || d->size > end_at) return std::nullopt;
  // Data prepended to the archive (a self-extractor's stub) shifts every offset: the
  // directory then sits right before its end record rather than where it says.
  const std::uint64_t before_end = end_at - d->size;
  const std::uint64_t offset = d->offset > before_end ? before_end : d->offset;
  auto bytes = ReadAt(in, size, offset, static_cast<std::size_t>(d->size));
  if ((!bytes || bytes->substr(0, 4) != kDirectoryEntry) && offset != before_end) {
    bytes = ReadAt(in, size, before_end, static_cast<std::size_t>(d->size));
  }
  if (!bytes) return std::nullopt;
  const std::string_view dir(*bytes);
  std::size_t at = 0;
  for (std::uint64_t i = 0; i < d->entries; ++i) {
    if (at + 46 > dir.size() || dir.substr(at, 4) != kDirectoryEntry)
      return i == 0 ? std::nullopt : std::optional(false);
    const std::size_t name_len = Le(dir, at + 28, 2);
    const std::size_t extra_len = Le(dir, at + 30, 2);
    const std::size_t comment_len = Le(dir, at + 32, 2);
    if (at + 46 + name_len > dir.size()) return false;
    if (dir.substr(at + 46, name_len) == name) return true;
    at += 46 + name_len + extra_len + comment_len;
  }
  return false;
}

bool LocalHeadersHave(std::istream& in, std::uint64_t size, std::string_view name) {
  std::uint64_t at = 0;
  for (std::size_t i = 0; i < kLocalHeadersScanned && at + 30 <= size; ++i) {
    auto header = ReadAt(in, size, at, 30);
    if (!header || header->substr(0, 4) != kLocalHeader) return false;
    const std::size_t name_len = Le(*header, 26, 2);
    const std::size_t extra_len = Le(*header, 28, 2);
    auto entry_name = ReadAt(in, size, at + 30, name_len);
    if (!entry_name) return false;
    if (*entry_name == name) return true;
    // Sizes that follow the data (flag bit 3) cannot be skipped without inflating it.
    const std::uint64_t flags = Le(*header, 6, 2);
    const std::uint64_t compressed = Le(*header, 18, 4);
    if ((flags & 0x08) != 0 || compressed == 0xFFFFFFFFu) return false;
    at += 30 + name_len + extra_len + compressed;
  }
  return false;
}

}  // namespace

ZipEntryLookup FindZipEntry(std::istream& in, std::uint64_t size, std::string_view name,
                            std::size_t max_directory_bytes) {
  if (auto found = DirectoryHas(in, size, name, max_directory_bytes)) {
    return *found ? ZipEntryLookup::kFound : ZipEntryLookup::kMissing;
  }
  return LocalHeadersHave(in, size, name) ? ZipEntryLookup::kFound : ZipEntryLookup::kNotZip;
}

}  // namespace atrium::core::documents
