#pragma once
// Where consolidation finds the stored memories a new fact may repeat or contradict.
// The memory service alone finds them by shared words (MemoryService::Relevant); the
// retrieval layer adds meaning when an embedding model is configured
// (retrieval::Retriever), so "I live in Berlin" meets "The user resides in Berlin".

#include <cstdint>
#include <string>
#include <vector>

#include "core/memory/memory.hpp"
#include "core/result.hpp"

namespace atrium::core::memory {

class SimilarMemories {
 public:
  virtual ~SimilarMemories() = default;
  // At most `limit` of `user_id`'s memories, the most similar to `text` first.
  virtual Result<std::vector<Memory>> Similar(const std::string& user_id, const std::string& text,
                                              std::int64_t limit) const = 0;
};

}  // namespace atrium::core::memory
