#pragma once
// How conversations and messages map to rows, shared by the SQL conversation store
// and the drivers' text searches.

#include <string>
#include <string_view>
#include <vector>

#include "core/chat/conversation.hpp"
#include "storage/value.hpp"

namespace atrium::storage::sql {

// The columns MessageFrom reads, in order (table messages).
extern const char* const kMessageColumns;
// kMessageColumns, each qualified with `table`.
std::string QualifiedMessageColumns(std::string_view table);
// The annotations column: a JSON object ({} when there is nothing to say).
std::string AnnotationsText(const core::chat::MessageAnnotations& annotations);
core::chat::MessageAnnotations AnnotationsFrom(const std::string& text);
// A message from the first kMessageColumns cells of `row`.
core::chat::Message MessageFrom(const std::vector<Value>& row);

}  // namespace atrium::storage::sql
