#pragma once
// PDF files on poppler-cpp: each page's text in reading order, split at blank lines into
// blocks carrying the page's number; the info dictionary's Title and Author. A file
// without %%EOF near its end (cut short in transit) is refused before poppler, which
// would otherwise rebuild what it can of it; so is one that needs a password to open.
// At most ExtractLimits::max_pages pages are read.

#include <filesystem>

#include "core/documents/text_extractor.hpp"

namespace atrium::engines::documents {

core::Result<core::documents::ExtractedDocument> ExtractPdf(const std::filesystem::path& file,
                                                            const core::documents::ExtractLimits& limits);
// The checks ExtractPdf makes before reading any page.
core::Result<void> ProbePdf(const std::filesystem::path& file);

}  // namespace atrium::engines::documents
