#pragma once
// What the process costs the machine, read from /proc (Linux).

#include <cstdint>
#include <filesystem>

namespace atrium::core::system {

struct ProcessSample {
  std::uint64_t rss_bytes = 0;
  double cpu_seconds = 0;  // user + system time since the process started
};

// Zeros when /proc cannot be read.
ProcessSample SampleProcess();

// Bytes of the regular files directly in and below `dir` (0 when it is missing).
std::uint64_t DirectoryBytes(const std::filesystem::path& dir);

}  // namespace atrium::core::system
