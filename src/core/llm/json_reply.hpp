#pragma once
// JSON out of a model's free-text answer. Models asked for JSON often wrap it in prose
// or a Markdown fence ("Here you go: ```json {...} ```"); this finds the first complete
// JSON object or array in the text and ignores what surrounds it.

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

namespace atrium::core::llm {

// The first complete, well-formed JSON object or array in `text` (a '{' or '[' that
// starts one; a bracket that does not is skipped). Scans at most the first 64 KiB and
// tries at most 256 starting points, so garbage costs bounded time. nullopt when there
// is none.
std::optional<boost::json::value> FirstJsonValue(std::string_view text);

}  // namespace atrium::core::llm
