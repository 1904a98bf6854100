#pragma once
// Which Markdown blocks a piece of text leaves open, so an export can close them before
// its own next heading. CommonMark (0.30) lets a heading at column 0 after a blank line
// interrupt every block but two: a fenced code block, and a raw HTML block of kinds 1-5
// (<pre>, <script>, <style>, <textarea>; <!-- -->; <? ?>; <!X >; <![CDATA[ ]]>), which
// run to their closing fence or end marker, or to the end of the document.

#include <string>
#include <string_view>

namespace atrium::core::exports {

// The lines that close what `text` (LF line endings) leaves open at the top level: a
// fence of the opening's character and length, or the HTML block's end marker, each
// ending in '\n'; empty when nothing is open. Blocks inside list items and block quotes
// are not counted: they end with their container, which the next unindented line ends.
// When unsure it errs towards closing, since a stray end marker is inert text.
std::string ClosingForOpenBlocks(std::string_view text);

}  // namespace atrium::core::exports
