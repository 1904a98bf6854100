#include "engines/documents/docx_text.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/documents/document_builder.hpp"
#include "core/documents/document_errors.hpp"
#include "engines/documents/docx_xml.hpp"

namespace atrium::engines::documents {

namespace {

using core::documents::DocumentTooLarge;
using core::documents::ExtractedDocument;
using core::documents::InvalidDocument;

constexpr std::string_view kBody = "word/document.xml";
constexpr std::string_view kProperties = "docProps/core.xml";
constexpr std::size_t kMaxPropertiesBytes = 1u << 20;
constexpr std::size_t kMaxEntries = 10000;
constexpr std::size_t kBlock = 64u << 10;

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

std::string ArchiveError(archive* a) {
  const char* e = archive_error_string(a);
  return e != nullptr ? e : "unknown libarchive error";
}

// Streams the current entry into `parser`, at most `max_bytes` of it.
core::Result<void> ReadBody(archive* a, DocxBodyParser& parser, std::size_t max_bytes) {
  std::vector<char> block(kBlock);
  std::size_t total = 0;
  while (!parser.stopped()) {
    const la_ssize_t n = archive_read_data(a, block.data(), block.size());
    if (n < 0) return InvalidDocument("docx: " + ArchiveError(a));
    if (n == 0) return parser.Feed({}, true);
    total += static_cast<std::size_t>(n);
    if (total > max_bytes)
      return DocumentTooLarge("docx: word/document.xml inflates past " + std::to_string(max_bytes));
    if (auto r = parser.Feed(std::string_view(block.data(), static_cast<std::size_t>(n)), false); !r) return r;
  }
  return core::Ok{};
}

// The current entry whole, or nullopt when it is larger than `max_bytes` or unreadable.
std::optional<std::string> ReadSmall(archive* a, std::size_t max_bytes) {
  std::string bytes;
  std::vector<char> block(kBlock);
  while (true) {
    const la_ssize_t n = archive_read_data(a, block.data(), block.size());
    if (n < 0) return std::nullopt;
    if (n == 0) return bytes;
    if (bytes.size() + static_cast<std::size_t>(n) > max_bytes) return std::nullopt;
    bytes.append(block.data(), static_cast<std::size_t>(n));
  }
}

}  // namespace

core::Result<void> ProbeDocx(const std::filesystem::path& file) {
  ArchivePtr a(archive_read_new(), &archive_read_free);
  if (!a) return core::documents::DocumentUnreadable("archive_read_new failed");
  archive_read_support_format_zip_seekable(a.get());
  if (archive_read_open_filename(a.get(), file.c_str(), kBlock) != ARCHIVE_OK) {
    return InvalidDocument("docx: " + ArchiveError(a.get()));
  }
  archive_entry* entry = nullptr;
  for (std::size_t i = 0; i < kMaxEntries; ++i) {
    const int status = archive_read_next_header(a.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) return InvalidDocument("docx: " + ArchiveError(a.get()));
    const char* raw_name = archive_entry_pathname(entry);
    if (raw_name != nullptr && std::string_view(raw_name) == kBody) {
      if (archive_entry_is_encrypted(entry)) return InvalidDocument("docx: word/document.xml is encrypted");
      return core::Ok{};
    }
  }
  return InvalidDocument("docx: no word/document.xml");
}

core::Result<ExtractedDocument> ExtractDocx(const std::filesystem::path& file,
                                            const core::documents::ExtractLimits& limits) {
  ArchivePtr a(archive_read_new(), &archive_read_free);
  if (!a) return core::documents::DocumentUnreadable("archive_read_new failed");
  archive_read_support_format_zip_seekable(a.get());
  if (archive_read_open_filename(a.get(), file.c_str(), kBlock) != ARCHIVE_OK) {
    return InvalidDocument("docx: " + ArchiveError(a.get()));
  }
  core::documents::DocumentBuilder builder(limits.max_chars);
  DocxBodyParser parser(builder);
  bool have_body = false;
  std::optional<DocxProperties> properties;
  archive_entry* entry = nullptr;
  for (std::size_t i = 0; i < kMaxEntries && !(have_body && properties); ++i) {
    const int status = archive_read_next_header(a.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) return InvalidDocument("docx: " + ArchiveError(a.get()));
    const char* raw_name = archive_entry_pathname(entry);
    const std::string_view name = raw_name != nullptr ? raw_name : "";
    if (name == kBody && !have_body) {
      have_body = true;
      if (archive_entry_is_encrypted(entry)) return InvalidDocument("docx: word/document.xml is encrypted");
      if (auto r = ReadBody(a.get(), parser, limits.max_xml_bytes); !r) return r.error();
    } else if (name == kProperties && !properties) {
      auto xml = ReadSmall(a.get(), kMaxPropertiesBytes);
      properties = xml ? ParseDocxProperties(*xml) : DocxProperties{};
    }
  }
  if (!have_body) return InvalidDocument("docx: no word/document.xml");
  if (properties) {
    builder.document().title = std::move(properties->title);
    builder.document().author = std::move(properties->author);
  }
  return std::move(builder).Finish("docx");
}

}  // namespace atrium::engines::documents
