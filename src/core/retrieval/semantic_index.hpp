#pragma once
// Each user's vectors (EmbeddingRepository) in an in-memory approximate index, one per
// item kind, built on first use and brought up to date before every search: new
// vectors are read by sequence number; when the store holds fewer than the index
// (something was deleted), the store's item list says which to leave out, and only if
// that does not agree either is the user's index rebuilt. So every instance that shares
// the database answers from the same vectors, and a user never sees another's: the
// index itself is per user. Thread-safe (one lock per user while syncing and
// searching).
//
// A first build of many vectors takes a while (hnswlib inserts a few thousand a
// second): with `background_from` set, a user whose index would need more than that
// many vectors read is built on the index's own thread, and until it is ready their
// searches answer no hits at once (retrieval falls back to full text) instead of
// keeping a chat turn waiting.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "core/retrieval/embedding_repository.hpp"
#include "core/retrieval/vector_index.hpp"
#include "core/worker_pool.hpp"

namespace atrium::core::retrieval {

struct VectorHit {
  std::string item_id;
  float similarity = 0;  // cosine, -1..1
};

class SemanticIndex {
 public:
  struct Options {
    // Build a user's index in the background when more vectors than this are to be
    // read; 0: always in the searching thread.
    std::int64_t background_from = 0;
  };
  SemanticIndex(EmbeddingRepository& store, const VectorIndexFactory& factory, std::string model)
      : SemanticIndex(store, factory, std::move(model), Options{}) {}
  SemanticIndex(EmbeddingRepository& store, const VectorIndexFactory& factory, std::string model, Options options);
  // Stops a background build between two batches and waits for it.
  ~SemanticIndex();
  SemanticIndex(const SemanticIndex&) = delete;
  SemanticIndex& operator=(const SemanticIndex&) = delete;

  // The `k` items of `kind` nearest to `query` (a unit vector) among the user's, with
  // at least `min_similarity`: the nearest of unrelated items are still unrelated.
  Result<std::vector<VectorHit>> Search(const std::string& user_id, ItemKind kind, const std::vector<float>& query,
                                        std::size_t k, float min_similarity = kMinSimilarity);

  // Whether `user_id`'s index is built (false while a background build runs).
  bool Ready(const std::string& user_id);

  // Every stored vector (a health check of the store).
  Result<std::int64_t> CountAll() { return store_.CountAll(); }

  // Cosine similarity below which a neighbour does not count as bearing on the query.
  static constexpr float kMinSimilarity = 0.5f;

 private:
  struct Kind {
    std::unique_ptr<VectorIndex> index;
    std::vector<std::string> items;                         // label -> item id ("" once removed)
    std::unordered_map<std::string, std::uint64_t> labels;  // item id -> label, of the vectors held
  };
  struct UserIndex {
    std::mutex mu;
    std::atomic<bool> building{false};  // a background build holds `mu`
    bool built = false;
    std::int64_t last_seq = 0;
    std::int64_t count = 0;  // vectors held, replacements not counted twice
    Kind chunks;
    Kind memories;
  };

  std::shared_ptr<UserIndex> User(const std::string& user_id);
  Result<void> Sync(UserIndex& user, const std::string& user_id);
  Result<void> CatchUp(UserIndex& user, const std::string& user_id);
  Result<void> LeaveOutDeleted(UserIndex& user, const std::string& user_id);
  void Apply(UserIndex& user, const StoredEmbedding& e);
  // True when the build went to the background (nothing to search yet).
  bool BuildInBackground(const std::shared_ptr<UserIndex>& user, const std::string& user_id);

  EmbeddingRepository& store_;
  const VectorIndexFactory& factory_;
  std::string model_;
  Options options_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<UserIndex>> users_;
  std::unique_ptr<WorkerPool> builder_;  // last: its tasks use the members above
};

}  // namespace atrium::core::retrieval
