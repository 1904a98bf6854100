#include "storage/sqlite/fts5_query.hpp"

#include <cctype>
#include <vector>

namespace atrium::storage::sqlite {

std::string Fts5MatchExpression(std::string_view text, Fts5Words mode) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80 || c == '_') {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += mode == Fts5Words::kAny ? " OR " : " ";
    out += '"' + words[i] + '"';
    if (mode == Fts5Words::kAllLastPrefix && i + 1 == words.size()) out += '*';
  }
  return out;
}

}  // namespace atrium::storage::sqlite
