#include "core/memory/memory_ranking.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

namespace atrium::core::memory {

double Relevance(const RankingInput& in) {
  double similarity = 0;
  if (in.has_query) {
    const double relative = in.best_rank > 0 ? std::clamp(in.rank / in.best_rank, 0.0, 1.0) : 0.0;
    similarity = 0.7 * std::clamp(in.coverage, 0.0, 1.0) + 0.3 * relative;
  }
  const double recency = std::exp(-std::max(0.0, in.days_idle) / 30.0);
  const double usage = 1.0 - std::exp(-static_cast<double>(std::max<std::int64_t>(0, in.access_count)) / 5.0);
  const double score = 0.6 * similarity + 0.2 * std::clamp(in.importance, 0.0, 1.0) + 0.1 * recency + 0.1 * usage;
  return std::round(score * 10000.0) / 10000.0;
}

double DaysSince(std::string_view rfc3339, std::chrono::system_clock::time_point now) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  const std::string text(rfc3339.substr(0, 19));
  if (text.size() < 19 || std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) return 0;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return 0;
  const auto then = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                    std::chrono::seconds{s};
  const auto idle = std::chrono::duration<double>(now - then).count();
  return idle > 0 ? idle / 86400.0 : 0.0;
}

std::size_t QueryWordCount(std::string_view query) {
  std::size_t count = 0;
  bool in_word = false;
  for (const char c : query) {
    const auto u = static_cast<unsigned char>(c);
    const bool word = std::isalnum(u) || u >= 0x80 || c == '_';
    if (word && !in_word) ++count;
    in_word = word;
  }
  return count;
}

}  // namespace atrium::core::memory
