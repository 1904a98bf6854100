#include "core/retrieval/semantic_index.hpp"

namespace atrium::core::retrieval {

namespace {

constexpr std::int64_t kBatch = 2000;

}  // namespace

void SemanticIndex::Apply(UserIndex& user, const StoredEmbedding& e) {
  Kind& kind = e.kind == ItemKind::kChunk ? user.chunks : user.memories;
  if (e.vector.empty()) return;
  if (!kind.index) kind.index = factory_.Create(e.vector.size());
  std::uint64_t label = 0;
  if (auto found = kind.labels.find(e.item_id); found != kind.labels.end()) {
    label = found->second;  // a replaced vector: same label, new point
  } else {
    label = kind.items.size();
    kind.items.push_back(e.item_id);
    kind.labels.emplace(e.item_id, label);
    ++user.count;
  }
  kind.index->Add(label, e.vector);
}

Result<void> SemanticIndex::Sync(UserIndex& user, const std::string& user_id) {
  auto stored = store_.Count(user_id, model_);
  if (!stored) return stored.error();
  for (int pass = 0; pass < 2; ++pass) {
    for (;;) {
      auto batch = store_.Since(user_id, model_, user.last_seq, kBatch);
      if (!batch) return batch.error();
      for (const auto& e : *batch) {
        Apply(user, e);
        user.last_seq = e.seq;
      }
      if (static_cast<std::int64_t>(batch->size()) < kBatch) break;
    }
    if (user.count == *stored) return Ok{};
    // Something went away (or was written while counting): start over once.
    user.last_seq = 0;
    user.count = 0;
    user.chunks = Kind{};
    user.memories = Kind{};
    stored = store_.Count(user_id, model_);
    if (!stored) return stored.error();
  }
  return Ok{};
}

Result<std::vector<VectorHit>> SemanticIndex::Search(const std::string& user_id, ItemKind kind,
                                                     const std::vector<float>& query, std::size_t k,
                                                     float min_similarity) {
  std::shared_ptr<UserIndex> user;
  {
    std::lock_guard lock(mu_);
    auto& slot = users_[user_id];
    if (!slot) slot = std::make_shared<UserIndex>();
    user = slot;
  }
  std::lock_guard lock(user->mu);
  if (auto synced = Sync(*user, user_id); !synced) return synced.error();
  std::vector<VectorHit> out;
  const Kind& of = kind == ItemKind::kChunk ? user->chunks : user->memories;
  if (!of.index) return out;
  for (const auto& [label, similarity] : of.index->Search(query, k)) {
    if (label < of.items.size() && similarity >= min_similarity) out.push_back({of.items[label], similarity});
  }
  return out;
}

}  // namespace atrium::core::retrieval
