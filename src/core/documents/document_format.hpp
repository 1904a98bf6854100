#pragma once
// What kind of document a user uploaded, told from the bytes of the file on disk (uploads
// are streamed to disk, never held whole), never from its name or declared type:
//   %PDF- at the start                                  -> PDF
//   a ZIP whose entries include word/document.xml       -> DOCX (xlsx, odt, jar: unsupported)
//   UTF-8 (a BOM allowed), no NUL, few control bytes     -> plain text, or Markdown when
//                                                          the original name ends .md/.markdown
// Only the text case looks at the name, and only to choose between the two text formats.

#include <cstddef>
#include <filesystem>
#include <string_view>

#include "core/result.hpp"

namespace atrium::core::documents {

enum class DocumentFormat { kPdf, kDocx, kText, kMarkdown };

// How much of a file the sniffer reads: the head of a text file, the tail that holds a
// ZIP's directory, and the directory itself.
struct SniffLimits {
  std::size_t text_bytes = 64u << 10;          // the head checked for UTF-8 and control bytes
  std::size_t zip_directory_bytes = 4u << 20;  // a larger central directory is not a document's
};

// kInvalidArgument with Reason::kUnsupportedDocument for any other file (also an empty
// ZIP, a ZIP without word/document.xml, UTF-16 text, binary data); kInternal when the
// file cannot be read. Reads only the head of the file, and for a ZIP its directory.
// An empty (or blank) file is text: its extraction then finds no text.
Result<DocumentFormat> SniffDocumentFormat(const std::filesystem::path& file, std::string_view original_name,
                                           const SniffLimits& limits = {});

// "pdf", "docx", "text", "markdown" (logs, metrics, storage).
std::string_view DocumentFormatName(DocumentFormat format);
// "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
// "text/plain", "text/markdown".
std::string_view DocumentFormatMime(DocumentFormat format);

}  // namespace atrium::core::documents
