#include "storage/postgres/pg_value.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace atrium::storage::postgres {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// bytea_output = 'hex' (the default since 9.0, and set by the connection): "\x0a1b...".
std::string DecodeByteaHex(std::string_view text) {
  if (!text.starts_with("\\x")) return std::string(text);
  std::string out;
  out.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < text.size(); i += 2) {
    const int hi = HexDigit(text[i]);
    const int lo = HexDigit(text[i + 1]);
    if (hi < 0 || lo < 0) break;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

double ParseReal(std::string_view text) {
  if (text == "NaN") return std::nan("");
  if (text == "Infinity") return HUGE_VAL;
  if (text == "-Infinity") return -HUGE_VAL;
  const std::string copy(text);  // strtod wants a terminated string
  return std::strtod(copy.c_str(), nullptr);
}

}  // namespace

Value DecodeText(unsigned type_oid, std::string_view text) {
  switch (type_oid) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t n = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc{} && end == text.data() + text.size()) return n;
      return std::string(text);
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
      return ParseReal(text);
    case kBoolOid:
      return std::int64_t{text == "t" ? 1 : 0};
    case kByteaOid:
      return DecodeByteaHex(text);
    default:
      return std::string(text);
  }
}

unsigned DeclaredType(const Value& v) {
  if (std::holds_alternative<std::int64_t>(v)) return kInt8Oid;
  if (std::holds_alternative<double>(v)) return kFloat8Oid;
  return kUnknownOid;
}

std::string EncodeText(const Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) {
    if (std::isnan(*d)) return "NaN";
    if (std::isinf(*d)) return *d > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return {};
}

}  // namespace atrium::storage::postgres
