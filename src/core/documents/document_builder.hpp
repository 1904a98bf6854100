#pragma once
// Collects an extractor's blocks under the character budget of ExtractLimits: control
// bytes other than tab and line feed become spaces and bytes that are not UTF-8 become
// U+FFFD (so every block is valid UTF-8 whatever a library gave), text is trimmed, blanks
// are dropped, the block that crosses the budget is cut (between characters) and the
// document marked truncated; after that every Add is refused, so an extractor can stop
// reading its file.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/documents/text_extractor.hpp"

namespace atrium::core::documents {

class DocumentBuilder {
 public:
  explicit DocumentBuilder(std::size_t max_chars) : remaining_(max_chars) {}

  // False when the budget is spent (this block was cut, or dropped, and truncated set).
  bool Add(std::string_view text, int page, std::string_view section);
  bool full() const { return document_.truncated; }

  ExtractedDocument& document() { return document_; }
  // The document, or DocumentWithoutText when no block had any text.
  Result<ExtractedDocument> Finish(std::string_view what) &&;

 private:
  ExtractedDocument document_;
  std::size_t remaining_;
};

// `text` without leading and trailing ASCII whitespace.
std::string_view TrimWhitespace(std::string_view text);

}  // namespace atrium::core::documents
