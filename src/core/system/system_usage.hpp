#pragma once
// What the whole machine is busy with, read from /proc and statvfs (Linux): CPU busy
// share over a short window, memory in use, and the disk holding a directory.

#include <chrono>
#include <filesystem>
#include <optional>

namespace atrium::core::system {

struct SystemUsage {
  std::optional<double> cpu_percent;     // busy share of every core over the window, 0-100
  std::optional<double> memory_percent;  // (MemTotal - MemAvailable) / MemTotal, 0-100
  std::optional<double> disk_percent;    // used share of the filesystem holding `dir`, 0-100
};

// Blocks for `window` (two readings of /proc/stat); a figure that cannot be read is unset.
SystemUsage SampleSystem(const std::filesystem::path& dir,
                         std::chrono::milliseconds window = std::chrono::milliseconds(200));

}  // namespace atrium::core::system
