// The documents path on any bytes (what an upload may hold): the bytes are written to a
// file, sniffed (once as "upload.md", once as "upload.txt"), extracted with small limits
// and chunked; and, since WordprocessingML is where hostile XML goes, the same bytes are
// fed straight to the DOCX body parser, whole and in two pieces. Nothing may crash; an
// extraction must keep its promises (blocks of valid, non-blank UTF-8 within the
// character budget, pages within the page count); chunks must be valid UTF-8 within the
// target; the XML's blocks must not depend on where the input was split.

#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/documents/chunker.hpp"
#include "core/documents/document_builder.hpp"
#include "core/documents/document_format.hpp"
#include "core/documents/utf8.hpp"
#include "engines/documents/document_extractor.hpp"
#include "engines/documents/docx_xml.hpp"

namespace {

namespace docs = atrium::core::documents;

constexpr std::size_t kMaxChars = 20000;

// One temporary file per fuzzing process, rewritten for every input.
const std::filesystem::path& TempFile() {
  static const std::filesystem::path path = [] {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fuzz-document-XXXXXX").string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) __builtin_trap();
    ::close(fd);
    return std::filesystem::path(tmpl);
  }();
  return path;
}

void CheckDocument(const docs::ExtractedDocument& doc) {
  if (doc.blocks.empty()) __builtin_trap();
  std::size_t chars = 0;
  for (const auto& b : doc.blocks) {
    if (docs::TrimWhitespace(b.text).empty() || !docs::IsValidUtf8(b.text)) __builtin_trap();
    if (b.page < 0 || (doc.page_count && b.page > *doc.page_count) || (!doc.page_count && b.page != 0)) {
      __builtin_trap();
    }
    chars += docs::CountChars(b.text);
  }
  if (chars > kMaxChars) __builtin_trap();
  for (const auto& c : docs::ChunkDocument(doc.blocks, {300, 50})) {
    if (c.text.empty() || !docs::IsValidUtf8(c.text) || docs::CountChars(c.text) > 300) __builtin_trap();
  }
}

std::vector<std::pair<std::string, std::string>> ParseXml(std::string_view xml, std::size_t split, bool& ok) {
  docs::DocumentBuilder builder(kMaxChars);
  atrium::engines::documents::DocxBodyParser parser(builder);
  ok = parser.Feed(xml.substr(0, split), false).ok() && parser.Feed(xml.substr(split), true).ok();
  std::vector<std::pair<std::string, std::string>> blocks;
  for (auto& b : builder.document().blocks) blocks.emplace_back(std::move(b.text), std::move(b.section));
  return blocks;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  {
    std::ofstream out(TempFile(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  docs::ExtractLimits limits;
  limits.max_chars = kMaxChars;
  limits.max_xml_bytes = 1u << 20;
  limits.max_pages = 50;
  const atrium::engines::documents::DocumentExtractor extractor(limits);
  for (std::string_view name : {"upload.md", "upload.txt"}) {
    auto format = docs::SniffDocumentFormat(TempFile(), name);
    if (!format) {
      if (format.error().reason() != atrium::core::Reason::kUnsupportedDocument) __builtin_trap();
      continue;
    }
    auto doc = extractor.Extract(TempFile(), *format);
    if (doc) {
      CheckDocument(*doc);
    } else if (doc.error().code() != atrium::core::ErrorCode::kInvalidArgument) {
      __builtin_trap();
    }
    if (*format != docs::DocumentFormat::kMarkdown) break;  // the name matters for text only
  }

  // The XML path directly, split where the first byte says.
  const std::size_t split = size == 0 ? 0 : data[0] % (size + 1);
  bool whole_ok = false, split_ok = false;
  const auto whole = ParseXml(bytes, size, whole_ok);
  const auto pieces = ParseXml(bytes, split, split_ok);
  if (whole_ok != split_ok || (whole_ok && whole != pieces)) __builtin_trap();
  (void)atrium::engines::documents::ParseDocxProperties(bytes);
  return 0;
}
