#pragma once
// Document and chunk rows as the SQL repositories select them (both drivers).

#include <vector>

#include "core/documents/document.hpp"
#include "storage/value.hpp"

namespace atrium::storage::sql {

// Alias d, in the order DocumentFrom reads them.
extern const char* const kDocumentColumns;
core::documents::Document DocumentFrom(const std::vector<Value>& row);
// Alias c, in the order ChunkFrom reads them.
extern const char* const kChunkColumns;
core::documents::StoredChunk ChunkFrom(const std::vector<Value>& row);

}  // namespace atrium::storage::sql
