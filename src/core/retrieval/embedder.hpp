#pragma once
// Turns texts into unit vectors through the LLM gateway's embeddings endpoint, with the
// one embedding model the server is configured with (llm.embedding_model; none: not
// configured, and retrieval is full-text alone). Blocking; thread-safe.

#include <string>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::llm {
class Gateway;
}

namespace atrium::core::retrieval {

class Embedder {
 public:
  // `gateway` may be null (no upstream): then not configured whatever `model` says.
  Embedder(llm::Gateway* gateway, std::string model) : gateway_(gateway), model_(std::move(model)) {}

  bool configured() const { return gateway_ != nullptr && !model_.empty(); }
  const std::string& model() const { return model_; }

  // One unit vector per text, in order (at most 64 texts a call). kUnavailable with
  // Reason::kEmbeddingsNotConfigured when not configured; the gateway's errors; kInternal
  // when the upstream's answer has the wrong count or an empty or zero vector.
  Result<std::vector<std::vector<float>>> Embed(const std::vector<std::string>& texts,
                                                const std::string& user_id = {}) const;

 private:
  llm::Gateway* gateway_;
  std::string model_;
};

// `v` scaled to length 1 (a zero vector stays zero).
void Normalize(std::vector<float>& v);

}  // namespace atrium::core::retrieval
