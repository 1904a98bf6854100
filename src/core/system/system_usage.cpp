#include "core/system/system_usage.hpp"

#include <sys/statvfs.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace atrium::core::system {

namespace {

struct CpuTimes {
  unsigned long long busy = 0;
  unsigned long long total = 0;
};

std::optional<CpuTimes> ReadCpu() {
  std::ifstream in("/proc/stat");
  std::string label;
  if (!(in >> label) || label != "cpu") return std::nullopt;
  // user nice system idle iowait irq softirq steal (guest times are inside user/nice)
  unsigned long long v[8] = {};
  for (auto& x : v) {
    if (!(in >> x)) return std::nullopt;
  }
  CpuTimes t;
  for (const auto x : v) t.total += x;
  t.busy = t.total - v[3] - v[4];
  return t;
}

std::optional<double> Round1(double v) { return std::round(v * 10.0) / 10.0; }

}  // namespace

SystemUsage SampleSystem(const std::filesystem::path& dir, std::chrono::milliseconds window) {
  SystemUsage u;
  const auto before = ReadCpu();
  std::this_thread::sleep_for(window);
  const auto after = ReadCpu();
  if (before && after && after->total > before->total) {
    u.cpu_percent = Round1(100.0 * static_cast<double>(after->busy - before->busy) /
                           static_cast<double>(after->total - before->total));
  }
  std::ifstream mem("/proc/meminfo");
  double total = 0, available = -1;
  for (std::string key; mem >> key;) {
    double kb = 0;
    mem >> kb;
    if (key == "MemTotal:") total = kb;
    if (key == "MemAvailable:") available = kb;
    mem.ignore(64, '\n');
  }
  if (total > 0 && available >= 0) u.memory_percent = Round1(100.0 * (total - available) / total);
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) == 0 && fs.f_blocks > 0) {
    const double blocks = static_cast<double>(fs.f_blocks);
    u.disk_percent = Round1(100.0 * (blocks - static_cast<double>(fs.f_bfree)) / blocks);
  }
  return u;
}

}  // namespace atrium::core::system
