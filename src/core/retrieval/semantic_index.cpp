#include "core/retrieval/semantic_index.hpp"

#include <set>
#include <utility>

namespace atrium::core::retrieval {

namespace {

constexpr std::int64_t kBatch = 1000;

}  // namespace

SemanticIndex::SemanticIndex(EmbeddingRepository& store, const VectorIndexFactory& factory, std::string model,
                             Options options)
    : store_(store), factory_(factory), model_(std::move(model)), options_(options) {
  // One builder thread: first builds are CPU-bound, so one at a time is fastest overall.
  if (options_.background_from > 0) builder_ = std::make_unique<WorkerPool>(1, 256);
}

SemanticIndex::~SemanticIndex() {
  stopping_ = true;
  if (builder_) builder_->Shutdown();
}

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

Result<void> SemanticIndex::CatchUp(UserIndex& user, const std::string& user_id) {
  for (;;) {
    if (stopping_) return Error(ErrorCode::kUnavailable, "The vector index is shutting down");
    auto batch = store_.Since(user_id, model_, user.last_seq, kBatch);
    if (!batch) return batch.error();
    for (const auto& e : *batch) {
      Apply(user, e);
      user.last_seq = e.seq;
    }
    if (static_cast<std::int64_t>(batch->size()) < kBatch) return Ok{};
  }
}

Result<void> SemanticIndex::LeaveOutDeleted(UserIndex& user, const std::string& user_id) {
  auto items = store_.Items(user_id, model_);
  if (!items) return items.error();
  std::set<std::pair<ItemKind, std::string>> present(std::make_move_iterator(items->begin()),
                                                     std::make_move_iterator(items->end()));
  for (const ItemKind k : {ItemKind::kChunk, ItemKind::kMemory}) {
    Kind& kind = k == ItemKind::kChunk ? user.chunks : user.memories;
    for (auto it = kind.labels.begin(); it != kind.labels.end();) {
      if (present.contains({k, it->first})) {
        ++it;
        continue;
      }
      kind.index->Remove(it->second);
      kind.items[it->second].clear();
      it = kind.labels.erase(it);
      --user.count;
    }
  }
  return Ok{};
}

Result<void> SemanticIndex::Sync(UserIndex& user, const std::string& user_id) {
  auto stored = store_.Count(user_id, model_);
  if (!stored) return stored.error();
  if (auto read = CatchUp(user, user_id); !read) return read;
  for (int pass = 0; pass < 2 && user.count != *stored; ++pass) {
    // More held than stored: something was deleted. Fewer: written while counting.
    if (user.count > *stored) {
      if (auto left = LeaveOutDeleted(user, user_id); !left) return left;
    }
    stored = store_.Count(user_id, model_);
    if (!stored) return stored.error();
    if (auto read = CatchUp(user, user_id); !read) return read;
  }
  if (user.count == *stored) return Ok{};
  // Still not in step (a store that changes under every look): start over.
  user.last_seq = 0;
  user.count = 0;
  user.chunks = Kind{};
  user.memories = Kind{};
  return CatchUp(user, user_id);
}

std::shared_ptr<SemanticIndex::UserIndex> SemanticIndex::User(const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto& slot = users_[user_id];
  if (!slot) slot = std::make_shared<UserIndex>();
  return slot;
}

bool SemanticIndex::BuildInBackground(const std::shared_ptr<UserIndex>& user, const std::string& user_id) {
  if (!builder_ || user->built) return false;
  auto stored = store_.Count(user_id, model_);
  if (!stored || *stored - user->count <= options_.background_from) return false;
  user->building = true;
  const bool queued = builder_->TrySubmit([this, user, user_id] {
    std::lock_guard lock(user->mu);
    // A failed or stopped build is tried again by the next search.
    if (Sync(*user, user_id)) user->built = true;
    user->building = false;
  });
  if (!queued) user->building = false;  // the next search tries again
  return true;
}

bool SemanticIndex::Ready(const std::string& user_id) {
  auto user = User(user_id);
  if (user->building) return false;
  std::lock_guard lock(user->mu);
  return user->built;
}

Result<std::vector<VectorHit>> SemanticIndex::Search(const std::string& user_id, ItemKind kind,
                                                     const std::vector<float>& query, std::size_t k,
                                                     float min_similarity) {
  std::shared_ptr<UserIndex> user = User(user_id);
  std::vector<VectorHit> out;
  if (user->building) return out;  // full text answers until the index is built
  std::lock_guard lock(user->mu);
  if (user->building || BuildInBackground(user, user_id)) return out;
  if (auto synced = Sync(*user, user_id); !synced) return synced.error();
  user->built = true;
  const Kind& of = kind == ItemKind::kChunk ? user->chunks : user->memories;
  if (!of.index) return out;
  for (const auto& [label, similarity] : of.index->Search(query, k)) {
    if (label < of.items.size() && !of.items[label].empty() && similarity >= min_similarity) {
      out.push_back({of.items[label], similarity});
    }
  }
  return out;
}

}  // namespace atrium::core::retrieval
