#pragma once
// A user's words as an FTS5 MATCH expression: runs of letters, digits, '_' and non-ASCII
// characters, each quoted (so FTS5 syntax in the input is only text). Empty when the
// text has no words.

#include <string>
#include <string_view>

namespace atrium::storage::sqlite {

enum class Fts5Words {
  kAllLastPrefix,  // every word, the last one as a prefix (a search box)
  kAny,            // any word
};

std::string Fts5MatchExpression(std::string_view text, Fts5Words mode);

}  // namespace atrium::storage::sqlite
