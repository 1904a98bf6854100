#pragma once
// Finding the chunks of a user's ready documents that bear on a text: the driver's
// full-text index (DocumentRepository::MatchChunks) and, when the caller has the
// text's embedding, the user's vector index (retrieval::SemanticIndex), the two lists
// fused by reciprocal rank (retrieval/rank_fusion.hpp). Without a vector, full text
// alone. Blocking; thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "core/documents/document_repository.hpp"
#include "core/result.hpp"

namespace atrium::core::retrieval {
class SemanticIndex;
}

namespace atrium::core::documents {

class DocumentSearch {
 public:
  // `vectors` may be null (no embedding model configured).
  explicit DocumentSearch(DocumentRepository& repo, retrieval::SemanticIndex* vectors = nullptr)
      : repo_(repo), vectors_(vectors) {}

  // At most `limit` (1-50) chunks, best first. `query_vector`: the text's unit embedding,
  // or null. A vector index that fails is left out (full text still answers).
  Result<std::vector<ChunkMatch>> Search(const std::string& user_id, const std::string& text, std::int64_t limit,
                                         const std::vector<float>* query_vector = nullptr) const;

 private:
  DocumentRepository& repo_;
  retrieval::SemanticIndex* vectors_;
};

}  // namespace atrium::core::documents
