#include "transport/mail/encoded_words.hpp"

#include <optional>

namespace atrium::transport::mail {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> Base64(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : in) {
    if (c == '=') break;
    const int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::optional<std::string> QuotedPrintable(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '_') {
      out += ' ';
    } else if (in[i] == '=') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Latin1ToUtf8(std::string_view in) {
  std::string out;
  for (const unsigned char c : in) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// One "=?charset?enc?text?=" at the start of `s`: its length and decoded text.
std::optional<std::pair<std::size_t, std::string>> Word(std::string_view s) {
  if (s.size() < 8 || s.substr(0, 2) != "=?") return std::nullopt;
  const auto q1 = s.find('?', 2);
  if (q1 == std::string_view::npos || q1 + 2 >= s.size() || s[q1 + 2] != '?') return std::nullopt;
  const auto end = s.find("?=", q1 + 3);
  if (end == std::string_view::npos) return std::nullopt;
  std::string charset = Lower(s.substr(2, q1 - 2));
  if (const auto star = charset.find('*'); star != std::string::npos) charset.resize(star);  // RFC 2231 language
  const char enc = s[q1 + 1];
  const auto text = s.substr(q1 + 3, end - q1 - 3);
  if (text.find(' ') != std::string_view::npos) return std::nullopt;
  std::optional<std::string> bytes;
  if (enc == 'B' || enc == 'b') bytes = Base64(text);
  if (enc == 'Q' || enc == 'q') bytes = QuotedPrintable(text);
  if (!bytes) return std::nullopt;
  if (charset == "iso-8859-1" || charset == "latin1") return std::pair{end + 2, Latin1ToUtf8(*bytes)};
  if (charset == "utf-8" || charset == "us-ascii") return std::pair{end + 2, std::move(*bytes)};
  return std::nullopt;
}

}  // namespace

std::string DecodeEncodedWords(std::string_view header) {
  std::string out;
  std::size_t i = 0;
  bool after_word = false;
  std::string pending_space;
  while (i < header.size()) {
    if (auto w = Word(header.substr(i))) {
      if (!after_word) out += pending_space;  // space between encoded words is dropped
      pending_space.clear();
      out += w->second;
      i += w->first;
      after_word = true;
      continue;
    }
    const char c = header[i++];
    if (c == ' ' || c == '\t') {
      pending_space += c;
      continue;
    }
    out += pending_space;
    pending_space.clear();
    out += c;
    after_word = false;
  }
  return out + pending_space;
}

}  // namespace atrium::transport::mail
