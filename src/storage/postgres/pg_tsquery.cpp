#include "storage/postgres/pg_tsquery.hpp"

#include <cctype>

namespace atrium::storage::postgres {

std::string PgTsQuery(std::string_view text, PgWords mode) {
  const bool any = mode == PgWords::kAny;
  std::string out;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out += any ? " | " : " & ";
    out += word;
    word.clear();
  };
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80 || c == '_') {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  if (!out.empty() && !any) out += ":*";
  return out;
}

}  // namespace atrium::storage::postgres
