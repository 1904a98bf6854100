#include "core/documents/utf8.hpp"

#include <cstdint>

namespace atrium::core::documents {

namespace {

std::uint8_t At(std::string_view s, std::size_t i) { return static_cast<std::uint8_t>(s[i]); }

bool IsContinuation(std::uint8_t b) { return (b & 0xC0) == 0x80; }

// The length of the sequence a lead byte starts, 0 for a byte that cannot start one.
std::size_t SequenceLength(std::uint8_t b) {
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

// The allowed range of the second byte after a lead byte (Unicode, table 3-7); the
// bytes after it are any continuation byte.
bool SecondByteOk(std::uint8_t lead, std::uint8_t second) {
  switch (lead) {
    case 0xE0:
      return second >= 0xA0 && second <= 0xBF;  // no overlong forms
    case 0xED:
      return second >= 0x80 && second <= 0x9F;  // no surrogates
    case 0xF0:
      return second >= 0x90 && second <= 0xBF;
    case 0xF4:
      return second >= 0x80 && second <= 0x8F;  // nothing past U+10FFFF
    default:
      return IsContinuation(second);
  }
}

// How many bytes of the sequence at `i` are well-formed (its whole length when complete);
// 0 when the byte at `i` starts nothing.
std::size_t WellFormedBytes(std::string_view s, std::size_t i, std::size_t& length) {
  length = SequenceLength(At(s, i));
  if (length == 0) return 0;
  std::size_t n = 1;
  while (n < length && i + n < s.size()) {
    const std::uint8_t b = At(s, i + n);
    if (!(n == 1 ? SecondByteOk(At(s, i), b) : IsContinuation(b))) return n;
    ++n;
  }
  return n;
}

}  // namespace

std::size_t ValidUtf8Prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (At(s, i) < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    const std::size_t good = WellFormedBytes(s, i, length);
    if (length == 0) return i;
    if (good == length) {
      i += length;
      continue;
    }
    // A sequence cut short by the end of the text still counts as a valid prefix.
    if (good > 0 && i + good == s.size()) return s.size();
    return i;
  }
  return s.size();
}

std::string ReplaceInvalidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t length = 0;
    const std::size_t good = WellFormedBytes(s, i, length);
    if (length > 0 && good == length) {
      out.append(s.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      i += good > 0 ? good : 1;  // the well-formed start of a broken sequence is one error
    }
  }
  return out;
}

bool IsValidUtf8(std::string_view s) { return ValidUtf8Prefix(s) == s.size() && !EndsInsideSequence(s); }

bool EndsInsideSequence(std::string_view s) {
  // The last lead byte within the last four bytes decides.
  for (std::size_t back = 1; back <= 4 && back <= s.size(); ++back) {
    const std::uint8_t b = At(s, s.size() - back);
    if (IsContinuation(b)) continue;
    const std::size_t length = SequenceLength(b);
    return length > back;
  }
  return false;
}

std::size_t CountChars(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += IsContinuation(static_cast<std::uint8_t>(c)) ? 0 : 1;
  return n;
}

std::size_t AdvanceChars(std::string_view s, std::size_t from, std::size_t chars) {
  std::size_t i = from;
  while (i < s.size() && chars > 0) {
    ++i;
    while (i < s.size() && IsContinuation(At(s, i))) ++i;
    --chars;
  }
  return i < s.size() ? i : s.size();
}

std::size_t RetreatChars(std::string_view s, std::size_t from, std::size_t chars) {
  std::size_t i = from < s.size() ? from : s.size();
  while (i > 0 && chars > 0) {
    --i;
    while (i > 0 && IsContinuation(At(s, i))) --i;
    --chars;
  }
  return i;
}

std::size_t CharBoundaryAtOrBefore(std::string_view s, std::size_t at) {
  if (at >= s.size()) return s.size();
  while (at > 0 && IsContinuation(At(s, at))) --at;
  return at;
}

}  // namespace atrium::core::documents
