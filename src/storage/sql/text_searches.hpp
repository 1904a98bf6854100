#pragma once
// The full-text parts a driver provides to the shared SQL repositories: each in the
// driver's own engine (SQLite FTS5, PostgreSQL tsvector), each with the contract its
// header states.

#include <memory>

#include "storage/sql/chunk_text_search.hpp"
#include "storage/sql/conversation_text_search.hpp"
#include "storage/sql/memory_text_search.hpp"

namespace atrium::storage::sql {

struct TextSearches {
  std::unique_ptr<ConversationTextSearch> conversations;
  std::unique_ptr<MemoryTextSearch> memories;
  std::unique_ptr<ChunkTextSearch> chunks;
};

}  // namespace atrium::storage::sql
