#pragma once
// The errors every text extractor answers with, so their safe messages stay the same
// whichever format or library failed. The detail goes to the internal message only.

#include <string>

#include "core/result.hpp"

namespace atrium::core::documents {

// kInvalidArgument + Reason::kInvalidDocument: broken, truncated, encrypted, not what its
// format says.
Error InvalidDocument(std::string internal);
// kInvalidArgument + Reason::kInvalidDocument: a readable document without any text.
Error DocumentWithoutText(std::string internal);
// kInvalidArgument + Reason::kDocumentTooLarge: past a size bound while reading.
Error DocumentTooLarge(std::string internal);
// kInternal: the file cannot be opened or read (not the client's fault).
Error DocumentUnreadable(std::string internal);

}  // namespace atrium::core::documents
