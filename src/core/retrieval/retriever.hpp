#pragma once
// What a chat turn is told before the user's message: the user's memories and the
// chunks of their ready documents that bear on it, each with its id, as one system
// message (chat::TurnOptions::context). The ids are what the answer records as its
// retrieved context (secondbrain's metadata.retrievedContext). Memories come ranked by
// the memory formula (MemoryService::Relevant); chunks by the document search
// (full-text, fused with vector similarity when an embedding model is configured).
// With an embedding model, the message's vector also finds memories and chunks by
// meaning (SemanticIndex), each kind's two lists fused by reciprocal rank. Blocking;
// thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "core/memory/similar_memories.hpp"
#include "core/result.hpp"

namespace atrium::core::memory {
class MemoryService;
}
namespace atrium::core::documents {
class DocumentSearch;
}

namespace atrium::core::retrieval {

struct RetrievalLimits {
  std::int64_t memories = 5;
  std::int64_t chunks = 4;
};

struct Retrieval {
  std::string prompt;            // empty when nothing bears on the message
  std::vector<std::string> ids;  // memories first, then chunks, in the order given to the model
};

class Embedder;
class SemanticIndex;

// What the vector side of retrieval is doing (secondbrain's vectorDb health entry).
struct VectorHealth {
  bool configured = false;  // an embedding model is set (and an upstream to ask)
  std::string model;
  bool reachable = false;    // the stored vectors could be counted
  std::int64_t vectors = 0;  // of every user, every model
  std::int64_t latency_us = 0;
};

// Also what consolidation compares a new fact with (memory::SimilarMemories): the same
// fused memory ranking, by words and by meaning.
class Retriever final : public memory::SimilarMemories {
 public:
  // `embedder` and `vectors` may be null (full text alone).
  Retriever(memory::MemoryService& memories, documents::DocumentSearch& documents, const Embedder* embedder = nullptr,
            SemanticIndex* vectors = nullptr)
      : memories_(memories), documents_(documents), embedder_(embedder), vectors_(vectors) {}

  Result<Retrieval> ForMessage(const std::string& user_id, const std::string& message,
                               const RetrievalLimits& limits = {}) const;
  VectorHealth Health() const;
  Result<std::vector<memory::Memory>> Similar(const std::string& user_id, const std::string& text,
                                              std::int64_t limit) const override;

 private:
  std::vector<float> Embedded(const std::string& user_id, const std::string& text) const;
  Result<std::vector<memory::Memory>> Memories(const std::string& user_id, const std::string& text,
                                               const std::vector<float>& query, std::int64_t limit) const;

  memory::MemoryService& memories_;
  documents::DocumentSearch& documents_;
  const Embedder* embedder_;
  SemanticIndex* vectors_;
};

// The system message for `items` (id, text), or "" when there are none.
std::string ContextPrompt(const std::vector<std::pair<std::string, std::string>>& items);

}  // namespace atrium::core::retrieval
