#include "core/commands/tokenizer.hpp"

namespace atrium::core::commands {

namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }
bool Alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool WordByte(char c) { return Alpha(c) || static_cast<unsigned char>(c) >= 0x80; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// "am", "pm", "a.m.", "p.m." (any case) at `i`; returns its length, 0 when absent.
std::size_t Meridiem(std::string_view s, std::size_t i, int& which) {
  if (i >= s.size()) return 0;
  const char c = Lower(s[i]);
  if (c != 'a' && c != 'p') return 0;
  which = c == 'a' ? 1 : 2;
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '.') ++j;
  if (j >= s.size() || Lower(s[j]) != 'm') return 0;
  ++j;
  if (j < s.size() && s[j] == '.') ++j;
  if (j < s.size() && (Alpha(s[j]) || Digit(s[j]))) return 0;  // "amazing", "pm2"
  return j - i;
}

int Parse(std::string_view s, std::size_t from, std::size_t to) {
  int v = 0;
  for (std::size_t k = from; k < to && v < 100000; ++k) v = v * 10 + (s[k] - '0');
  return v;
}

// Digits at [i, j): their count, or 0 when there are none.
std::size_t DigitsAt(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && Digit(s[j])) ++j;
  return j - i;
}

// "12/20", "12/20/2026", "12/20/26", "25.12.", "25.12.2026" at `i` (whose first digits
// end at `j`). With dots the form needs its closing dot or a year, so that "1.5" stays a
// number. Fills the token and returns true, or leaves it alone.
bool NumericDate(std::string_view s, std::size_t i, std::size_t j, Token& t) {
  const std::size_t d1 = j - i;
  if (d1 < 1 || d1 > 2 || j >= s.size() || (s[j] != '/' && s[j] != '.')) return false;
  const char sep = s[j];
  const std::size_t d2 = DigitsAt(s, j + 1);
  if (d2 < 1 || d2 > 2) return false;
  std::size_t k = j + 1 + d2;
  int year = 0;
  bool closed = false;
  if (k < s.size() && s[k] == sep) {
    const std::size_t d3 = DigitsAt(s, k + 1);
    if (d3 == 4 || d3 == 2) {
      year = Parse(s, k + 1, k + 1 + d3);
      if (d3 == 2) year += 2000;
      k += 1 + d3;
    } else if (d3 == 0) {
      closed = true;
      ++k;
    } else {
      return false;
    }
  }
  if (sep == '.' && !closed && year == 0) return false;
  if (k < s.size() && (Digit(s[k]) || Alpha(s[k]))) return false;
  t.kind = TokenKind::kNumericDate;
  t.first = Parse(s, i, j);
  t.second = Parse(s, j + 1, j + 1 + d2);
  t.year = year;
  t.separator = sep;
  t.end = k;
  return true;
}

// The lower case of a two-byte German capital umlaut (Ä Ö Ü) at s[j], or 0.
unsigned char LowerUmlaut(std::string_view s, std::size_t j) {
  if (static_cast<unsigned char>(s[j]) != 0xC3 || j + 1 >= s.size()) return 0;
  const auto b = static_cast<unsigned char>(s[j + 1]);
  return (b == 0x84 || b == 0x96 || b == 0x9C) ? static_cast<unsigned char>(b + 0x20) : 0;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    if (Digit(c)) {
      std::size_t j = i;
      while (j < s.size() && Digit(s[j])) ++j;
      const std::size_t digits = j - i;
      // 2026-03-05
      if (digits == 4 && j + 6 <= s.size() && s[j] == '-' && Digit(s[j + 1]) && Digit(s[j + 2]) && s[j + 3] == '-' &&
          Digit(s[j + 4]) && Digit(s[j + 5]) && (j + 6 == s.size() || !Digit(s[j + 6]))) {
        t.kind = TokenKind::kIsoDate;
        t.year = Parse(s, i, j);
        t.month = Parse(s, j + 1, j + 3);
        t.day = Parse(s, j + 4, j + 6);
        t.end = j + 6;
      } else if (digits <= 2 && j + 3 <= s.size() && s[j] == ':' && Digit(s[j + 1]) && Digit(s[j + 2]) &&
                 (j + 3 == s.size() || !Digit(s[j + 3]))) {
        t.kind = TokenKind::kClock;
        t.hour = Parse(s, i, j);
        t.minute = Parse(s, j + 1, j + 3);
        std::size_t k = j + 3;
        std::size_t m = k;
        while (m < s.size() && s[m] == ' ') ++m;
        int which = 0;
        if (const auto len = Meridiem(s, m, which)) {
          t.meridiem = which;
          k = m + len;
        }
        t.end = k;
      } else {
        int which = 0;
        const auto len = Meridiem(s, j, which);
        if (len > 0 && digits <= 2) {
          t.kind = TokenKind::kClock;
          t.hour = Parse(s, i, j);
          t.meridiem = which;
          t.end = j + len;
        } else if (j + 1 < s.size() && digits <= 2 &&
                   ((Lower(s[j]) == 's' && Lower(s[j + 1]) == 't') || (Lower(s[j]) == 'n' && Lower(s[j + 1]) == 'd') ||
                    (Lower(s[j]) == 'r' && Lower(s[j + 1]) == 'd') || (Lower(s[j]) == 't' && Lower(s[j + 1]) == 'h')) &&
                   (j + 2 == s.size() || !Alpha(s[j + 2]))) {
          t.kind = TokenKind::kOrdinal;
          t.number = Parse(s, i, j);
          t.end = j + 2;
        } else if (!NumericDate(s, i, j, t)) {
          t.kind = TokenKind::kNumber;
          t.number = digits <= 9 ? Parse(s, i, j) : 1e9;
          t.end = j;
          if (j + 1 < s.size() && (s[j] == '.' || s[j] == ',') && Digit(s[j + 1]) && digits <= 9) {
            std::size_t f = j + 1;
            double scale = 0.1;
            while (f < s.size() && Digit(s[f])) {
              t.number += scale * (s[f] - '0');
              scale /= 10;
              ++f;
            }
            t.integer = false;
            t.end = f;
          }
        }
      }
      t.text = std::string(s.substr(t.begin, t.end - t.begin));
      for (auto& ch : t.text) ch = Lower(ch);
      out.push_back(std::move(t));
      i = out.back().end;
      continue;
    }
    if (WordByte(c)) {
      int which = 0;
      if (const auto len = Meridiem(s, i, which); len > 2) {  // "a.m." / "p.m."
        t.kind = TokenKind::kWord;
        t.text = which == 1 ? "am" : "pm";
        t.end = i + len;
        out.push_back(std::move(t));
        i += len;
        continue;
      }
      std::size_t j = i;
      std::string text;
      while (j < s.size()) {
        if (const unsigned char lower = LowerUmlaut(s, j)) {
          text += s[j];
          text += static_cast<char>(lower);
          j += 2;
        } else if (WordByte(s[j]) &&
                   !(static_cast<unsigned char>(s[j]) == 0xE2 && j + 2 < s.size() &&
                     static_cast<unsigned char>(s[j + 1]) == 0x80 && static_cast<unsigned char>(s[j + 2]) == 0x99)) {
          text += Lower(s[j]);
          ++j;
        } else if (s[j] == '\'' && j + 1 < s.size() && WordByte(s[j + 1]) && !text.empty()) {
          text += '\'';
          ++j;
        } else if (static_cast<unsigned char>(s[j]) == 0xE2 && j + 3 < s.size() &&
                   static_cast<unsigned char>(s[j + 1]) == 0x80 && static_cast<unsigned char>(s[j + 2]) == 0x99 &&
                   WordByte(s[j + 3]) && !text.empty()) {  // a typographic apostrophe
          text += '\'';
          j += 3;
        } else {
          break;
        }
      }
      if (j == i) {  // a lone typographic apostrophe
        t.kind = TokenKind::kPunct;
        t.text = "'";
        t.end = i + 3 <= s.size() ? i + 3 : s.size();
        out.push_back(std::move(t));
        i = out.back().end;
        continue;
      }
      t.kind = TokenKind::kWord;
      t.text = std::move(text);
      t.end = j;
      out.push_back(std::move(t));
      i = j;
      continue;
    }
    t.kind = TokenKind::kPunct;
    t.text = std::string(1, c);
    t.end = i + 1;
    out.push_back(std::move(t));
    ++i;
  }
  return out;
}

}  // namespace atrium::core::commands
