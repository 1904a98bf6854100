#pragma once
// The words of a message that say what it is about: its words (runs of letters, digits,
// '_' and non-ASCII characters, the split the full-text indexes use) without English
// function words ("what", "about", "my", "and", ...). An any-word search for "what
// about my sister and her birthday?" should weigh memories by "sister" and "birthday",
// not match every memory that says "and". A text made only of such words is kept whole
// (someone searching for "the who" means it). "like" is not one: preferences are.

#include <string>
#include <string_view>

namespace atrium::core::text {

// Is `word` (any case) an English function word?
bool IsStopWord(std::string_view word);

// The content words of `text`, in order, separated by single spaces; `text` itself when
// it has no content word.
std::string ContentWords(std::string_view text);

}  // namespace atrium::core::text
