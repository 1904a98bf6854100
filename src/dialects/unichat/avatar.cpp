#include "dialects/unichat/avatar.hpp"

#include <algorithm>
#include <cctype>

namespace atrium::dialects::unichat {

namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(b)) == a;
         });
}

bool IsUrlByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;  // controls, space, DEL and raw non-ASCII
  return c != '"' && c != '\'' && c != '<' && c != '>' && c != '\\' && c != '`';
}

}  // namespace

bool IsSafeAvatarUrl(std::string_view url) {
  if (url.size() > kMaxAvatarUrl || !std::all_of(url.begin(), url.end(), IsUrlByte)) return false;
  std::string_view rest;
  if (StartsWithNoCase(url, "https://")) {
    rest = url.substr(8);
  } else if (StartsWithNoCase(url, "http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  const auto host_end = rest.find_first_of("/?#");
  const auto authority = rest.substr(0, host_end);
  const auto at = authority.rfind('@');
  const auto host = at == std::string_view::npos ? authority : authority.substr(at + 1);
  return !host.empty() && host.front() != ':';
}

bool IsAvatarGlyph(std::string_view text) {
  std::size_t code_points = 0;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && !std::isalnum(u)) return false;
    if ((u & 0xC0) != 0x80) ++code_points;  // a lead byte (or ASCII) starts a code point
  }
  return code_points >= 1 && code_points <= kMaxAvatarGlyphs;
}

}  // namespace atrium::dialects::unichat
