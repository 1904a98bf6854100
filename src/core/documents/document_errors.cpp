#include "core/documents/document_errors.hpp"

#include <utility>

namespace atrium::core::documents {

Error InvalidDocument(std::string internal) {
  return Error(ErrorCode::kInvalidArgument, "The document is damaged, encrypted or cannot be read", std::move(internal))
      .WithReason(Reason::kInvalidDocument);
}

Error DocumentWithoutText(std::string internal) {
  return Error(ErrorCode::kInvalidArgument, "The document contains no text", std::move(internal))
      .WithReason(Reason::kInvalidDocument);
}

Error DocumentTooLarge(std::string internal) {
  return Error(ErrorCode::kInvalidArgument, "The document is too large", std::move(internal))
      .WithReason(Reason::kDocumentTooLarge);
}

Error DocumentUnreadable(std::string internal) {
  return Error(ErrorCode::kInternal, "The document could not be read", std::move(internal));
}

}  // namespace atrium::core::documents
