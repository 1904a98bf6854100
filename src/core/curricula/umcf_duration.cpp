#include "core/curricula/umcf_duration.hpp"

#include <string>

namespace atrium::core::curricula {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A number at the front of text ("12", "1.5"), removed from it; fractions only where
// allow_fraction. nullopt when text does not start with a digit.
std::optional<double> TakeNumber(std::string_view& text, bool allow_fraction) {
  std::size_t n = 0;
  while (n < text.size() && IsDigit(text[n])) ++n;
  if (n == 0 || n > 9) return std::nullopt;  // nine digits are over thirty years of seconds
  std::size_t end = n;
  if (allow_fraction && end < text.size() && text[end] == '.') {
    std::size_t f = end + 1;
    while (f < text.size() && IsDigit(text[f])) ++f;
    if (f == end + 1 || f - end > 7) return std::nullopt;
    end = f;
  }
  const double value = std::stod(std::string(text.substr(0, end)));
  text.remove_prefix(end);
  return value;
}

}  // namespace

std::optional<double> ParseUmcfDuration(std::string_view text) {
  if (text.empty() || text.front() != 'P') return std::nullopt;
  text.remove_prefix(1);
  double seconds = 0;
  bool any = false;
  bool in_time = false;
  std::string_view units = "D";  // the units still allowed, in order
  while (!text.empty()) {
    if (text.front() == 'T') {
      if (in_time) return std::nullopt;
      in_time = true;
      units = "HMS";
      text.remove_prefix(1);
      if (text.empty()) return std::nullopt;
      continue;
    }
    std::optional<double> n = TakeNumber(text, in_time);
    if (!n || text.empty()) return std::nullopt;
    const std::size_t at = units.find(text.front());
    if (at == std::string_view::npos) return std::nullopt;
    // A fraction only on the last part: "PT1.5S", not "PT1.5H".
    if (*n != static_cast<double>(static_cast<long long>(*n)) && text.front() != 'S') return std::nullopt;
    switch (text.front()) {
      case 'D':
        seconds += *n * 86400;
        break;
      case 'H':
        seconds += *n * 3600;
        break;
      case 'M':
        seconds += *n * 60;
        break;
      default:
        seconds += *n;
    }
    units.remove_prefix(at + 1);
    text.remove_prefix(1);
    any = true;
  }
  return any ? std::optional<double>(seconds) : std::nullopt;
}

}  // namespace atrium::core::curricula
