#pragma once
// Each user's vectors (EmbeddingRepository) in an in-memory approximate index, one per
// item kind, built on first use and brought up to date before every search: new
// vectors are read by sequence number; when the store holds a different number than the
// index (something was deleted), the user's index is rebuilt. So every instance that
// shares the database answers from the same vectors, and a user never sees another's:
// the index itself is per user. Thread-safe (one lock per user while syncing and
// searching).

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "core/retrieval/embedding_repository.hpp"
#include "core/retrieval/vector_index.hpp"

namespace atrium::core::retrieval {

struct VectorHit {
  std::string item_id;
  float similarity = 0;  // cosine, -1..1
};

class SemanticIndex {
 public:
  SemanticIndex(EmbeddingRepository& store, const VectorIndexFactory& factory, std::string model)
      : store_(store), factory_(factory), model_(std::move(model)) {}

  // The `k` items of `kind` nearest to `query` (a unit vector) among the user's, with
  // at least `min_similarity`: the nearest of unrelated items are still unrelated.
  Result<std::vector<VectorHit>> Search(const std::string& user_id, ItemKind kind, const std::vector<float>& query,
                                        std::size_t k, float min_similarity = kMinSimilarity);

  // Every stored vector (a health check of the store).
  Result<std::int64_t> CountAll() { return store_.CountAll(); }

  // Cosine similarity below which a neighbour does not count as bearing on the query.
  static constexpr float kMinSimilarity = 0.5f;

 private:
  struct Kind {
    std::unique_ptr<VectorIndex> index;
    std::vector<std::string> items;                         // label -> item id
    std::unordered_map<std::string, std::uint64_t> labels;  // item id -> label
  };
  struct UserIndex {
    std::mutex mu;
    std::int64_t last_seq = 0;
    std::int64_t count = 0;  // vectors read, replacements not counted twice
    Kind chunks;
    Kind memories;
  };

  Result<void> Sync(UserIndex& user, const std::string& user_id);
  void Apply(UserIndex& user, const StoredEmbedding& e);

  EmbeddingRepository& store_;
  const VectorIndexFactory& factory_;
  std::string model_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<UserIndex>> users_;
};

}  // namespace atrium::core::retrieval
