#include "engines/documents/document_extractor.hpp"

#include "core/documents/document_errors.hpp"
#include "engines/documents/docx_text.hpp"
#include "engines/documents/pdf_text.hpp"
#include "engines/documents/plain_text.hpp"

namespace atrium::engines::documents {

core::Result<core::documents::ExtractedDocument> DocumentExtractor::Extract(
    const std::filesystem::path& file, core::documents::DocumentFormat format) const {
  using core::documents::DocumentFormat;
  switch (format) {
    case DocumentFormat::kPdf:
      return ExtractPdf(file, limits_);
    case DocumentFormat::kDocx:
      return ExtractDocx(file, limits_);
    case DocumentFormat::kText:
      return ExtractPlainText(file, false, limits_);
    case DocumentFormat::kMarkdown:
      return ExtractPlainText(file, true, limits_);
  }
  return core::documents::InvalidDocument("unknown document format");
}

core::Result<void> DocumentExtractor::Probe(const std::filesystem::path& file,
                                            core::documents::DocumentFormat format) const {
  using core::documents::DocumentFormat;
  switch (format) {
    case DocumentFormat::kPdf:
      return ProbePdf(file);
    case DocumentFormat::kDocx:
      return ProbeDocx(file);
    case DocumentFormat::kText:
    case DocumentFormat::kMarkdown:
      return core::Ok{};
  }
  return core::documents::InvalidDocument("unknown document format");
}

}  // namespace atrium::engines::documents
