#pragma once
// The text of an uploaded document, block by block (a paragraph, a table row, the text
// of a PDF page's paragraph), with where each block sits: its page and the section
// heading it falls under. The core owns the interface; a driver (src/engines/documents)
// implements it on Debian's libraries. Chunking (core/documents/chunker) works on the
// blocks.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/documents/document_format.hpp"
#include "core/result.hpp"

namespace atrium::core::documents {

struct DocumentBlock {
  std::string text;     // UTF-8, never empty or blank
  int page = 0;         // 1-based; 0 when the format has no pages
  std::string section;  // the heading this block falls under (a heading's own block too), or empty
};

struct ExtractedDocument {
  std::vector<DocumentBlock> blocks;  // in reading order, at least one
  std::optional<int> page_count;      // PDFs only
  std::optional<std::string> title;   // PDF info, DOCX docProps/core.xml, the first Markdown `# ` heading
  std::optional<std::string> author;  // PDF info, DOCX docProps/core.xml
  bool truncated = false;             // the text stopped at ExtractLimits::max_chars
};

// Bounds that keep a hostile file from exhausting memory or time.
struct ExtractLimits {
  std::size_t max_chars = 5'000'000;      // characters of text kept; past them `truncated` is set
  std::size_t max_xml_bytes = 64u << 20;  // uncompressed word/document.xml (a zip bomb's target)
  int max_pages = 5000;                   // PDF pages read; later pages are left out (truncated)
};

class TextExtractor {
 public:
  virtual ~TextExtractor() = default;
  // `format` is what SniffDocumentFormat said about the file. Failures:
  //   kInvalidArgument + Reason::kInvalidDocument: a broken, truncated or password-protected
  //     file, one that is not what its format says, or one with no text at all;
  //   kInvalidArgument + Reason::kDocumentTooLarge: a DOCX whose document.xml inflates
  //     past ExtractLimits::max_xml_bytes;
  //   kInternal: the file cannot be read.
  // The safe message never names the file or the library. Thread-safe.
  virtual Result<ExtractedDocument> Extract(const std::filesystem::path& file, DocumentFormat format) const = 0;
  // A quick look at upload time, before the file is accepted for processing: is it a
  // whole document of its format that can be opened? (PDF: the end marker, poppler
  // opens it, no password, some pages; DOCX: the ZIP opens and holds an unencrypted
  // word/document.xml; text: what the sniffer saw is enough.) Reads no text. The same
  // failures as Extract.
  virtual Result<void> Probe(const std::filesystem::path& file, DocumentFormat format) const = 0;
};

}  // namespace atrium::core::documents
