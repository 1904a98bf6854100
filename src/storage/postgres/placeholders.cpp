#include "storage/postgres/placeholders.hpp"

#include <cctype>

namespace atrium::storage::postgres {

namespace {

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// The end (one past) of a quoted run opened at `open` with `quote`; a doubled quote is
// one literal quote. `backslash` escapes are honoured in E'...' strings only.
std::size_t SkipQuoted(std::string_view s, std::size_t open, char quote, bool backslash) {
  std::size_t i = open + 1;
  while (i < s.size()) {
    if (backslash && s[i] == '\\') {
      i += 2;
      continue;
    }
    if (s[i] == quote) {
      if (i + 1 < s.size() && s[i + 1] == quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return s.size();
}

// `$tag$` at `open` (tag empty or an identifier not starting with a digit), or npos.
std::size_t DollarTagEnd(std::string_view s, std::size_t open) {
  std::size_t i = open + 1;
  if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) return std::string_view::npos;
  while (i < s.size() && IsIdentChar(s[i])) ++i;
  if (i < s.size() && s[i] == '$') return i + 1;
  return std::string_view::npos;
}

std::size_t SkipBlockComment(std::string_view s, std::size_t open) {
  int depth = 0;
  std::size_t i = open;
  while (i + 1 < s.size()) {
    if (s[i] == '/' && s[i + 1] == '*') {
      ++depth;
      i += 2;
    } else if (s[i] == '*' && s[i + 1] == '/') {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return s.size();
}

}  // namespace

TranslatedSql TranslatePlaceholders(std::string_view s) {
  TranslatedSql out;
  out.sql.reserve(s.size() + 16);
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    std::size_t end = i + 1;
    if (c == '\'') {
      const bool escaped = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !IsIdentChar(s[i - 2]));
      end = SkipQuoted(s, i, '\'', escaped);
    } else if (c == '"') {
      end = SkipQuoted(s, i, '"', false);
    } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      end = s.find('\n', i);
      end = end == std::string_view::npos ? s.size() : end;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      end = SkipBlockComment(s, i);
    } else if (c == '$' && (i == 0 || !IsIdentChar(s[i - 1]))) {
      if (const std::size_t tag_end = DollarTagEnd(s, i); tag_end != std::string_view::npos) {
        const std::string_view tag = s.substr(i, tag_end - i);
        const std::size_t close = s.find(tag, tag_end);
        end = close == std::string_view::npos ? s.size() : close + tag.size();
      }
    } else if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.parameters);
      ++i;
      continue;
    }
    out.sql.append(s.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace atrium::storage::postgres
