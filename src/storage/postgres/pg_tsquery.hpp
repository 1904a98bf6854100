#pragma once
// A user's words as a to_tsquery() argument: runs of letters, digits, '_' and non-ASCII
// characters joined by '&' (the last a prefix) or by '|'; the split FTS5's side uses
// (storage/sqlite/fts5_query.hpp), so both drivers see the same words. Empty when the
// text has no words.

#include <string>
#include <string_view>

namespace atrium::storage::postgres {

enum class PgWords {
  kAllLastPrefix,  // every word, the last one as a prefix
  kAny,            // any word
};

std::string PgTsQuery(std::string_view text, PgWords mode);

}  // namespace atrium::storage::postgres
