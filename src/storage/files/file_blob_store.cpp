#include "storage/files/file_blob_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

namespace atrium::storage::files {

namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

Error IoError(const std::string& what, const fs::path& path, int err) {
  return Error(ErrorCode::kUnavailable, "Storage is unavailable",
               what + " " + path.string() + ": " + std::strerror(err));
}

// Writes all of `bytes` to `fd`, retrying short writes.
bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void SyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)::fsync(fd);  // best effort: some file systems refuse to sync a directory
    ::close(fd);
  }
}

}  // namespace

core::Result<fs::path> FileBlobStore::PathOf(std::string_view key) const {
  if (!core::blobs::ValidBlobKey(key)) {
    return Error(ErrorCode::kInvalidArgument, "Invalid blob key", "blob key '" + std::string(key) + "'");
  }
  return root_ / std::string(key);
}

template <typename Fill>
core::Result<void> FileBlobStore::WriteAtomically(const fs::path& path, Fill&& fill) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return IoError("mkdir", path.parent_path(), ec.value());
  const fs::path tmp = path.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(next_tmp_++);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("create", tmp, errno);
  std::optional<Error> failed = fill(fd, tmp);
  if (!failed && ::fsync(fd) != 0) failed = IoError("write", tmp, errno);
  ::close(fd);
  if (failed) {
    fs::remove(tmp, ec);
    return *failed;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    fs::remove(tmp, ec);
    return IoError("rename", path, err);
  }
  SyncDirectory(path.parent_path());
  return core::Ok{};
}

core::Result<void> FileBlobStore::Put(std::string_view key, std::string_view bytes) {
  auto path = PathOf(key);
  if (!path) return path.error();
  return WriteAtomically(*path, [&](int fd, const fs::path& tmp) -> std::optional<Error> {
    if (!WriteAll(fd, bytes)) return IoError("write", tmp, errno);
    return std::nullopt;
  });
}

core::Result<void> FileBlobStore::PutFile(std::string_view key, const fs::path& source, std::uint64_t offset,
                                          std::uint64_t length) {
  auto path = PathOf(key);
  if (!path) return path.error();
  const int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return IoError("open", source, errno);
  auto done = WriteAtomically(*path, [&](int fd, const fs::path& tmp) -> std::optional<Error> {
    std::vector<char> buffer(256 * 1024);
    std::uint64_t at = offset;
    std::uint64_t left = length;
    while (left > 0) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
      const ssize_t n = ::pread(in, buffer.data(), want, static_cast<off_t>(at));
      if (n < 0) {
        if (errno == EINTR) continue;
        return IoError("read", source, errno);
      }
      if (n == 0) {
        return Error(ErrorCode::kInvalidArgument, "The file is shorter than expected",
                     source.string() + " ends before byte " + std::to_string(offset + length));
      }
      if (!WriteAll(fd, std::string_view(buffer.data(), static_cast<std::size_t>(n)))) {
        return IoError("write", tmp, errno);
      }
      at += static_cast<std::uint64_t>(n);
      left -= static_cast<std::uint64_t>(n);
    }
    return std::nullopt;
  });
  ::close(in);
  return done;
}

core::Result<fs::path> FileBlobStore::LocalPath(std::string_view key) {
  auto path = PathOf(key);
  if (!path) return path.error();
  std::error_code ec;
  if (!fs::is_regular_file(*path, ec)) return Error(ErrorCode::kNotFound, "Not found", "no blob " + path->string());
  return *path;
}

core::Result<std::string> FileBlobStore::Get(std::string_view key) {
  auto path = PathOf(key);
  if (!path) return path.error();
  const int fd = ::open(path->c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error(ErrorCode::kNotFound, "Not found", "no blob " + path->string());
    return IoError("open", *path, errno);
  }
  std::string bytes;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return IoError("read", *path, err);
    }
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

core::Result<void> FileBlobStore::Remove(std::string_view key) {
  auto path = PathOf(key);
  if (!path) return path.error();
  std::error_code ec;
  fs::remove(*path, ec);
  if (ec) return IoError("remove", *path, ec.value());
  return core::Ok{};
}

}  // namespace atrium::storage::files
