#include "core/documents/document_format.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>
#include <system_error>

#include "core/documents/utf8.hpp"
#include "core/documents/zip_directory.hpp"

namespace atrium::core::documents {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kDocxMain = "word/document.xml";

Error Unsupported(std::string internal) {
  return Error(ErrorCode::kInvalidArgument, "The file is not a PDF, Word (DOCX), plain-text or Markdown document",
               std::move(internal))
      .WithReason(Reason::kUnsupportedDocument);
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Text has no NUL and at most one control byte in a hundred besides tab, line feed,
// carriage return and form feed (a page break in plain text).
bool LooksLikeText(std::string_view head, bool cut) {
  std::size_t controls = 0;
  for (char c : head) {
    const auto b = static_cast<unsigned char>(c);
    if (b == 0) return false;
    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7F) ++controls;
  }
  if (controls * 100 > head.size()) return false;
  if (ValidUtf8Prefix(head) != head.size()) return false;
  // The head of a longer file may end inside a character; a whole file may not.
  return cut || !EndsInsideSequence(head);
}

bool HasMarkdownName(std::string_view original_name) {
  std::string ext = std::filesystem::path(std::string(original_name)).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".md" || ext == ".markdown";
}

}  // namespace

Result<DocumentFormat> SniffDocumentFormat(const std::filesystem::path& file, std::string_view original_name,
                                           const SniffLimits& limits) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  std::ifstream in(file, std::ios::binary);
  if (ec || !in) {
    return Error(ErrorCode::kInternal, "The document could not be read",
                 "cannot open " + file.string() + (ec ? ": " + ec.message() : std::string()));
  }
  std::string head(static_cast<std::size_t>(std::min<std::uintmax_t>(size, limits.text_bytes)), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (static_cast<std::size_t>(in.gcount()) != head.size()) {
    return Error(ErrorCode::kInternal, "The document could not be read", "short read of " + file.string());
  }

  if (StartsWith(head, "%PDF-")) return DocumentFormat::kPdf;
  if (StartsWith(head, "PK\x03\x04")) {
    switch (FindZipEntry(in, size, kDocxMain, limits.zip_directory_bytes)) {
      case ZipEntryLookup::kFound:
        return DocumentFormat::kDocx;
      case ZipEntryLookup::kMissing:
        return Unsupported("a ZIP without word/document.xml");
      case ZipEntryLookup::kNotZip:
        return Unsupported("a ZIP whose directory cannot be read");
    }
  }
  std::string_view text(head);
  if (StartsWith(text, kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  if (!LooksLikeText(text, size > head.size())) return Unsupported("neither PDF, DOCX nor UTF-8 text");
  return HasMarkdownName(original_name) ? DocumentFormat::kMarkdown : DocumentFormat::kText;
}

std::string_view DocumentFormatName(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::kPdf:
      return "pdf";
    case DocumentFormat::kDocx:
      return "docx";
    case DocumentFormat::kText:
      return "text";
    case DocumentFormat::kMarkdown:
      return "markdown";
  }
  return "text";
}

std::string_view DocumentFormatMime(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::kPdf:
      return "application/pdf";
    case DocumentFormat::kDocx:
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case DocumentFormat::kText:
      return "text/plain";
    case DocumentFormat::kMarkdown:
      return "text/markdown";
  }
  return "application/octet-stream";
}

}  // namespace atrium::core::documents
