#pragma once
// TextExtractor for every format the sniffer knows: PDF on poppler-cpp (pdf_text), DOCX
// on libarchive and expat (docx_text), plain text and Markdown (plain_text). Stateless
// besides its limits, so one instance serves every thread.

#include "core/documents/text_extractor.hpp"

namespace atrium::engines::documents {

class DocumentExtractor final : public core::documents::TextExtractor {
 public:
  explicit DocumentExtractor(core::documents::ExtractLimits limits = {}) : limits_(limits) {}

  core::Result<core::documents::ExtractedDocument> Extract(const std::filesystem::path& file,
                                                           core::documents::DocumentFormat format) const override;
  core::Result<void> Probe(const std::filesystem::path& file, core::documents::DocumentFormat format) const override;

 private:
  core::documents::ExtractLimits limits_;
};

}  // namespace atrium::engines::documents
