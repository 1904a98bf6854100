#pragma once
// Highlighted text for clients that show HTML: a match's text (terms between
// kMarkStart and kMarkEnd, memory_repository.hpp) becomes HTML with each term in
// <mark></mark> and everything else escaped, so stored text can never become markup.

#include <cstddef>
#include <string>
#include <string_view>

namespace atrium::core::memory {

// & < > " ' escaped; the markers become <mark> and </mark> (an unpaired one is dropped).
std::string MarkedToHtml(std::string_view marked);
// The number of distinct terms (case-folded, ASCII) that the markers wrap.
std::size_t MarkedTermCount(std::string_view marked);
// `text` with C0 control characters other than tab, newline and carriage return
// removed (the markers among them), for what is stored.
std::string StripControl(std::string_view text);

}  // namespace atrium::core::memory
