#include "engines/documents/pdf_text.hpp"

#include <poppler-document.h>
#include <poppler-page.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "core/documents/document_builder.hpp"
#include "core/documents/document_errors.hpp"

namespace atrium::engines::documents {

namespace {

using core::documents::ExtractedDocument;
using core::documents::InvalidDocument;

// The end-of-file marker must sit in the last kilobyte (ISO 32000-1, 7.5.5; readers allow
// some trailing bytes after it).
constexpr std::size_t kTailBytes = 1024;

core::Result<bool> EndsWithEofMarker(const std::filesystem::path& file) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  std::ifstream in(file, std::ios::binary);
  if (ec || !in) return core::documents::DocumentUnreadable("cannot open " + file.string());
  const std::size_t tail = static_cast<std::size_t>(std::min<std::uintmax_t>(size, kTailBytes));
  std::string bytes(tail, '\0');
  in.seekg(static_cast<std::streamoff>(size - tail));
  in.read(bytes.data(), static_cast<std::streamsize>(tail));
  if (static_cast<std::size_t>(in.gcount()) != tail) return core::documents::DocumentUnreadable("short read");
  return bytes.find("%%EOF") != std::string::npos;
}

std::string Utf8(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

std::optional<std::string> InfoText(const poppler::ustring& s) {
  std::string text(core::documents::TrimWhitespace(Utf8(s)));
  if (text.empty()) return std::nullopt;
  return text;
}

// A page's text, paragraph by paragraph: poppler ends lines with \n and leaves blank lines
// between paragraphs it sees apart.
bool AddPage(core::documents::DocumentBuilder& builder, std::string_view text, int page) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (!builder.Add(text.substr(start, end - start), page, {})) return false;
    start = end + 2;
  }
  return true;
}

using DocumentPtr = std::unique_ptr<poppler::document>;

core::Result<DocumentPtr> OpenPdf(const std::filesystem::path& file) {
  auto complete = EndsWithEofMarker(file);
  if (!complete) return complete.error();
  if (!*complete) return InvalidDocument("pdf: no end-of-file marker in the last kilobyte (cut short?)");
  DocumentPtr doc(poppler::document::load_from_file(file.string()));
  if (!doc) return InvalidDocument("pdf: poppler cannot open it");
  if (doc->is_locked()) return InvalidDocument("pdf: password-protected");
  if (doc->pages() <= 0) return InvalidDocument("pdf: no pages");
  return doc;
}

}  // namespace

core::Result<void> ProbePdf(const std::filesystem::path& file) {
  auto doc = OpenPdf(file);
  if (!doc) return doc.error();
  return core::Ok{};
}

core::Result<ExtractedDocument> ExtractPdf(const std::filesystem::path& file,
                                           const core::documents::ExtractLimits& limits) {
  auto opened = OpenPdf(file);
  if (!opened) return opened.error();
  const DocumentPtr& doc = *opened;
  const int pages = doc->pages();
  core::documents::DocumentBuilder builder(limits.max_chars);
  ExtractedDocument& out = builder.document();
  out.page_count = pages;
  out.title = InfoText(doc->get_title());
  out.author = InfoText(doc->get_author());
  const int read = std::min(pages, std::max(limits.max_pages, 0));
  for (int i = 0; i < read; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;
    const std::string text = Utf8(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout));
    if (!AddPage(builder, text, i + 1)) break;
  }
  if (read < pages) out.truncated = true;
  return std::move(builder).Finish("pdf");
}

}  // namespace atrium::engines::documents
