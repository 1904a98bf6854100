#pragma once
// UTF-8 helpers the document code shares: validation (also of text that arrives in
// pieces), counting and cutting by characters (code points), never inside a sequence.

#include <cstddef>
#include <string>
#include <string_view>

namespace atrium::core::documents {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points
// past U+10FFFF).
bool IsValidUtf8(std::string_view text);

// The length of the longest prefix of `text` that is well-formed UTF-8, or that would be
// when the bytes after it continue the sequence it ends with: a block read from a file
// may end inside a character. Equal to text.size() for valid text.
std::size_t ValidUtf8Prefix(std::string_view text);

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD.
std::string ReplaceInvalidUtf8(std::string_view text);

// True when `text` ends inside a (so far valid) multi-byte sequence.
bool EndsInsideSequence(std::string_view text);

// The number of characters (code points) in valid UTF-8; a stray continuation byte is
// not counted.
std::size_t CountChars(std::string_view text);

// The byte offset `chars` characters past `from` (or text.size() when there are fewer).
std::size_t AdvanceChars(std::string_view text, std::size_t from, std::size_t chars);

// The byte offset `chars` characters before `from` (or 0 when there are fewer).
std::size_t RetreatChars(std::string_view text, std::size_t from, std::size_t chars);

// The largest offset <= `at` that does not fall inside a sequence.
std::size_t CharBoundaryAtOrBefore(std::string_view text, std::size_t at);

// The byte length of the longest prefix of `text` with at most `chars` characters.
inline std::size_t PrefixOfChars(std::string_view text, std::size_t chars) { return AdvanceChars(text, 0, chars); }

}  // namespace atrium::core::documents
