#pragma once
// The `?` placeholders of the storage interface, rewritten as PostgreSQL's `$1, $2, ...`.

#include <string>
#include <string_view>

namespace atrium::storage::postgres {

struct TranslatedSql {
  std::string sql;
  int parameters = 0;  // the number of `?` rewritten
};

// Rewrites every `?` outside string literals ('...', E'...' with backslash escapes),
// quoted identifiers ("..."), dollar-quoted strings ($tag$...$tag$) and comments
// (-- to the end of the line, nested /* */) as `$n`, numbered from 1 in order. Text
// that is not SQL (an unterminated quote) is copied as it is; the server reports it.
TranslatedSql TranslatePlaceholders(std::string_view sql);

}  // namespace atrium::storage::postgres
