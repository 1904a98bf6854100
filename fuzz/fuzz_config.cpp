// app::LoadConfig on any TOML file, with an empty environment. A bad file is an error
// value naming a key; nothing may crash or throw. A config that loads must satisfy the
// bounds the loader promises.
//
// The file is written to one temporary path per process, reused for every input, and
// removed at exit.

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "app/config.hpp"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

const std::string& TempPath() {
  static const std::string kPath = [] {
    const auto dir = std::filesystem::temp_directory_path();
    std::string pattern = (dir / "atrium-fuzz-config-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) {
      std::perror("fuzz_config: mkstemp");
      std::abort();
    }
    close(fd);
    return pattern;
  }();
  return kPath;
}

void RemoveTempFile() { std::remove(TempPath().c_str()); }

// Overwrites in place and then trims, rather than truncating first: ext4 flushes a file
// that was truncated to zero and rewritten when it is closed (auto_da_alloc), which would
// cost milliseconds per input.
void WriteFile(const std::string& path, const std::uint8_t* data, std::size_t size) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  bool ok = fd >= 0;
  for (std::size_t done = 0; ok && done < size;) {
    const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ftruncate(fd, static_cast<off_t>(size)) == 0;
  if (fd >= 0) ok = close(fd) == 0 && ok;
  if (!ok) {
    std::perror("fuzz_config: writing the input");
    std::abort();
  }
}

void CheckLoaded(const atrium::app::Config& c) {
  Check(c.server.io_threads >= 0 && c.server.io_threads <= 256);
  Check(c.server.max_connections >= 1 && c.server.max_connections <= 1000000);
  Check(c.server.max_header_bytes >= 1024 && c.server.max_header_bytes <= 1048576);
  Check(c.worker_threads >= 1 && c.worker_threads <= 256);
  Check(c.default_body_limit >= 1024);
  Check(c.sqlite_readers >= 1 && c.sqlite_readers <= 64);
  Check(!c.data_dir.empty());
  Check(c.dialects.size() == 6);  // the five specs and the OpenAI front door
  for (const auto& [name, d] : c.dialects) Check(d.port >= 0 && d.port <= 65535);
  for (const auto& origin : c.cors_origins) Check(origin == "*" || origin.find("://") != std::string::npos);
  Check(c.jwt_secret.empty() || c.jwt_secret.size() >= 32);
  for (const auto& [key, user] : c.api_key_users) Check(key.size() >= 8 && user.size() == 36);
  Check(c.argon2_memory_kib >= 19 * 1024 && c.argon2_memory_kib <= 4 * 1024 * 1024);
  Check(c.argon2_iterations >= 2 && c.argon2_iterations <= 20);
  Check(c.max_concurrent_hashes >= 1 && c.max_concurrent_hashes <= 64);
  Check(c.pisovereign_rate_limit_rpm >= 1 && c.pisovereign_rate_limit_rpm <= 1000000);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TempPath();
  std::atexit(RemoveTempFile);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  WriteFile(TempPath(), data, size);
  atrium::app::ConfigSources sources;
  sources.file_path = TempPath();
  sources.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  try {
    const auto result = atrium::app::LoadConfig(sources);
    if (result.ok()) {
      CheckLoaded(result.value());
    } else {
      Check(!result.error().safe_message().empty());
    }
  } catch (...) {
    __builtin_trap();  // errors in a config file are values, never exceptions
  }
  return 0;
}
