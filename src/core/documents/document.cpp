#include "core/documents/document.hpp"

namespace atrium::core::documents {

std::string_view StatusName(DocumentStatus status) {
  switch (status) {
    case DocumentStatus::kProcessing:
      return "processing";
    case DocumentStatus::kReady:
      return "ready";
    case DocumentStatus::kFailed:
      return "failed";
  }
  return "processing";
}

std::optional<DocumentStatus> StatusFromName(std::string_view name) {
  for (const auto s : {DocumentStatus::kProcessing, DocumentStatus::kReady, DocumentStatus::kFailed}) {
    if (StatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<DocumentFormat> FormatFromName(std::string_view name) {
  for (const auto f : {DocumentFormat::kPdf, DocumentFormat::kDocx, DocumentFormat::kText, DocumentFormat::kMarkdown}) {
    if (DocumentFormatName(f) == name) return f;
  }
  return std::nullopt;
}

}  // namespace atrium::core::documents
