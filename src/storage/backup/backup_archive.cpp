#include "storage/backup/backup_archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <vector>

#include "storage/backup/file_digest.hpp"

namespace atrium::storage::backup {

namespace fs = std::filesystem;

namespace {

core::Error ArchiveError(struct archive* a, const std::string& what) {
  const char* msg = a != nullptr ? archive_error_string(a) : nullptr;
  return core::Error(core::ErrorCode::kUnavailable, what + (msg != nullptr ? std::string(": ") + msg : std::string()));
}

core::Error Invalid(const std::string& why) {
  return core::Error(core::ErrorCode::kInvalidArgument, "not a usable backup archive: " + why);
}

}  // namespace

core::Result<std::unique_ptr<ArchiveWriter>> ArchiveWriter::Create(const fs::path& path) {
  struct archive* a = archive_write_new();
  if (a == nullptr) return core::Error(core::ErrorCode::kInternal, "archive: out of memory");
  if (archive_write_add_filter_gzip(a) != ARCHIVE_OK || archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
      archive_write_open_filename(a, path.c_str()) != ARCHIVE_OK) {
    auto e = ArchiveError(a, "cannot create " + path.string());
    archive_write_free(a);
    return e;
  }
  return std::unique_ptr<ArchiveWriter>(new ArchiveWriter(a));
}

ArchiveWriter::~ArchiveWriter() { archive_write_free(a_); }

core::Result<void> ArchiveWriter::Header(std::string_view name, std::uint64_t size) {
  if (!IsSafeEntryName(name)) return Invalid("entry name '" + std::string(name) + "'");
  std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> entry(archive_entry_new(),
                                                                               &archive_entry_free);
  archive_entry_set_pathname(entry.get(), std::string(name).c_str());
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0600);  // it holds the key and every account
  archive_entry_set_mtime(entry.get(), std::time(nullptr), 0);
  if (archive_write_header(a_, entry.get()) != ARCHIVE_OK) return ArchiveError(a_, "archive: " + std::string(name));
  return core::Ok{};
}

core::Result<ArchiveWriter::Added> ArchiveWriter::AddBytes(std::string_view name, std::string_view bytes) {
  if (auto h = Header(name, bytes.size()); !h) return h.error();
  if (!bytes.empty() && archive_write_data(a_, bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size())) {
    return ArchiveError(a_, "archive: writing " + std::string(name));
  }
  Sha256 sha;
  sha.Update(bytes);
  return Added{bytes.size(), sha.HexDigest()};
}

core::Result<ArchiveWriter::Added> ArchiveWriter::AddFile(std::string_view name, const fs::path& file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!f && errno == ENOENT) return core::Error(core::ErrorCode::kNotFound, file.string() + " is gone");
  // The size of the open file: a rename over the name since the open does not matter.
  struct stat st{};
  if (!f || ::fstat(::fileno(f.get()), &st) != 0) {
    return core::Error(core::ErrorCode::kUnavailable, "cannot read " + file.string());
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (auto h = Header(name, size); !h) return h.error();
  Sha256 sha;
  std::vector<char> buf(1 << 16);
  std::uint64_t written = 0;
  std::size_t n = 0;
  while (written < size && (n = std::fread(buf.data(), 1, std::min<std::uint64_t>(buf.size(), size - written),
                                           f.get())) > 0) {
    if (archive_write_data(a_, buf.data(), n) != static_cast<la_ssize_t>(n)) {
      return ArchiveError(a_, "archive: writing " + std::string(name));
    }
    sha.Update({buf.data(), n});
    written += n;
  }
  // A file that shrank while it was read: the header promised `size` bytes.
  if (written != size) return core::Error(core::ErrorCode::kUnavailable, file.string() + " changed while read");
  return Added{size, sha.HexDigest()};
}

core::Result<void> ArchiveWriter::Close() {
  if (archive_write_close(a_) != ARCHIVE_OK) return ArchiveError(a_, "archive: closing");
  return core::Ok{};
}

bool IsSafeEntryName(std::string_view name) {
  if (name.empty() || name.size() > 4096 || name.front() == '/' || name.back() == '/') return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    auto end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    auto part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      if (c == '\0' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
    }
    start = end + 1;
  }
  return true;
}

core::Result<std::vector<ExtractedEntry>> ExtractArchive(const fs::path& archive_path, const fs::path& dest,
                                                         const ExtractLimits& limits) {
  std::unique_ptr<struct archive, int (*)(struct archive*)> a(archive_read_new(), &archive_read_free);
  if (!a) return core::Error(core::ErrorCode::kInternal, "archive: out of memory");
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), archive_path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "cannot open " + archive_path.string() + ": " + archive_error_string(a.get()));
  }
  std::vector<ExtractedEntry> out;
  std::uint64_t total = 0;
  std::vector<char> buf(1 << 16);
  struct archive_entry* entry = nullptr;
  for (;;) {
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK) return Invalid(archive_error_string(a.get()) ? archive_error_string(a.get()) : "bad header");
    const char* raw = archive_entry_pathname(entry);
    std::string name = raw != nullptr ? raw : "";
    if (!IsSafeEntryName(name)) return Invalid("entry name '" + name + "'");
    if (archive_entry_filetype(entry) != AE_IFREG) return Invalid("entry '" + name + "' is not a regular file");
    if (out.size() + 1 > limits.max_entries) return Invalid("more than " + std::to_string(limits.max_entries) + " entries");
    fs::path target = dest / name;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return core::Error(core::ErrorCode::kUnavailable, "cannot create " + target.parent_path().string());
    // O_EXCL: two entries of one name, or a name a symlink already holds, are refused.
    int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return Invalid("entry '" + name + "' cannot be written (twice in the archive?)");
    std::uint64_t size = 0;
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
      if (n == 0) break;
      if (n < 0) {
        ::close(fd);
        return Invalid("entry '" + name + "': " + (archive_error_string(a.get()) ? archive_error_string(a.get()) : "truncated"));
      }
      size += static_cast<std::uint64_t>(n);
      total += static_cast<std::uint64_t>(n);
      if (total > limits.max_total_bytes) {
        ::close(fd);
        return Invalid("more than " + std::to_string(limits.max_total_bytes) + " bytes");
      }
      const char* p = buf.data();
      auto left = static_cast<std::size_t>(n);
      while (left > 0) {
        auto w = ::write(fd, p, left);
        if (w <= 0) {
          ::close(fd);
          return core::Error(core::ErrorCode::kUnavailable, "cannot write " + target.string());
        }
        p += w;
        left -= static_cast<std::size_t>(w);
      }
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
      return core::Error(core::ErrorCode::kUnavailable, "cannot write " + target.string());
    }
    out.push_back({name, size});
  }
  return out;
}

}  // namespace atrium::storage::backup
