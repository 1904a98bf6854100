#pragma once
// DOCX files: word/document.xml read from the ZIP with libarchive (its seekable reader,
// which trusts the central directory), inflated block by block into the streaming XML
// parser (docx_xml), and at most ExtractLimits::max_xml_bytes of it: a zip bomb is cut
// off as too large. docProps/core.xml gives the title and author.

#include <filesystem>

#include "core/documents/text_extractor.hpp"

namespace atrium::engines::documents {

core::Result<core::documents::ExtractedDocument> ExtractDocx(const std::filesystem::path& file,
                                                             const core::documents::ExtractLimits& limits);
// The ZIP opens and word/document.xml is among its entries, not encrypted (nothing inflated).
core::Result<void> ProbeDocx(const std::filesystem::path& file);

}  // namespace atrium::engines::documents
