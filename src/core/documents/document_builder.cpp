#include "core/documents/document_builder.hpp"

#include "core/documents/document_errors.hpp"
#include "core/documents/utf8.hpp"

namespace atrium::core::documents {

std::string_view TrimWhitespace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const std::size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

bool DocumentBuilder::Add(std::string_view raw, int page, std::string_view section) {
  if (document_.truncated) return false;
  // Control bytes other than tab and line feed (a PDF's form feeds, stray NULs) are
  // spaces; bytes that are not UTF-8 (a library's odd output) are U+FFFD.
  std::string clean =
      ValidUtf8Prefix(raw) == raw.size() && !EndsInsideSequence(raw) ? std::string(raw) : ReplaceInvalidUtf8(raw);
  for (char& c : clean) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && c != '\t' && c != '\n') || b == 0x7F) c = ' ';
  }
  std::string_view text = TrimWhitespace(clean);
  if (text.empty()) return true;
  const std::size_t chars = CountChars(text);
  if (chars > remaining_) {
    text = TrimWhitespace(text.substr(0, PrefixOfChars(text, remaining_)));
    document_.truncated = true;
  }
  remaining_ -= document_.truncated ? remaining_ : chars;
  if (!text.empty()) document_.blocks.push_back({std::string(text), page, std::string(section)});
  return !document_.truncated;
}

Result<ExtractedDocument> DocumentBuilder::Finish(std::string_view what) && {
  if (document_.blocks.empty()) return DocumentWithoutText(std::string(what) + ": no text");
  return std::move(document_);
}

}  // namespace atrium::core::documents
