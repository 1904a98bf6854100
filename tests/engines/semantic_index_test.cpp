// The vector side of retrieval: hnswlib's index finds true nearest neighbours of unit
// vectors; SemanticIndex keeps each user's index in step with a store (new vectors by
// sequence, deletes left out by the store's item list), never mixes users or kinds,
// drops neighbours below the similarity floor, and builds a large index in the
// background while searches answer at once.

#include "core/retrieval/semantic_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <random>
#include <thread>

#include "core/retrieval/embedder.hpp"
#include "engines/vector/hnsw_index.hpp"

namespace atrium::core::retrieval {
namespace {

// An EmbeddingRepository in memory, with the store's sequence semantics.
class MemoryStore final : public EmbeddingRepository {
 public:
  Result<bool> Put(const std::string& user_id, ItemKind kind, const std::string& item_id, const std::string& model,
                   const std::vector<float>& vector) override {
    Remove(kind, item_id);
    rows.push_back({user_id, model, StoredEmbedding{++seq, kind, item_id, vector}});
    return true;
  }
  void Remove(ItemKind kind, const std::string& item_id) {
    std::erase_if(rows, [&](const Row& r) { return r.e.kind == kind && r.e.item_id == item_id; });
  }
  Result<std::vector<StoredEmbedding>> Since(const std::string& user_id, const std::string& model,
                                             std::int64_t after_seq, std::int64_t limit) override {
    std::vector<StoredEmbedding> out;
    for (const auto& r : rows) {
      if (r.user == user_id && r.model == model && r.e.seq > after_seq &&
          static_cast<std::int64_t>(out.size()) < limit) {
        out.push_back(r.e);
      }
    }
    ++reads;
    if (on_since) on_since();
    return out;
  }
  Result<std::int64_t> Count(const std::string& user_id, const std::string& model) override {
    return static_cast<std::int64_t>(
        std::count_if(rows.begin(), rows.end(), [&](const Row& r) { return r.user == user_id && r.model == model; }));
  }
  Result<std::vector<std::pair<ItemKind, std::string>>> Items(const std::string& user_id,
                                                              const std::string& model) override {
    std::vector<std::pair<ItemKind, std::string>> out;
    for (const auto& r : rows) {
      if (r.user == user_id && r.model == model) out.emplace_back(r.e.kind, r.e.item_id);
    }
    ++item_reads;
    return out;
  }
  Result<std::vector<Unembedded>> Missing(const std::string&, std::int64_t) override {
    return std::vector<Unembedded>{};
  }
  Result<std::int64_t> RemoveOtherModels(const std::string&) override { return std::int64_t{0}; }
  Result<std::int64_t> CountAll() override { return static_cast<std::int64_t>(rows.size()); }

  struct Row {
    std::string user;
    std::string model;
    StoredEmbedding e;
  };
  std::vector<Row> rows;
  std::int64_t seq = 0;
  int reads = 0;
  int item_reads = 0;
  std::function<void()> on_since;  // called in every Since, on the caller's thread
};

std::vector<float> Unit(std::vector<float> v) {
  Normalize(v);
  return v;
}

TEST(HnswIndexTest, FindsTheTrueNearestNeighboursOfManyVectors) {
  engines::vector::HnswIndexFactory factory;
  auto index = factory.Create(32);
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  std::vector<std::vector<float>> points;
  for (int i = 0; i < 3000; ++i) {  // past the initial capacity: the index grows
    std::vector<float> v(32);
    for (auto& x : v) x = normal(rng);
    points.push_back(Unit(v));
    index->Add(static_cast<std::uint64_t>(i), points.back());
  }
  EXPECT_EQ(index->size(), 3000u);
  int agree = 0;
  for (int q = 0; q < 50; ++q) {
    const auto& query = points[static_cast<std::size_t>(q * 37)];
    const auto found = index->Search(query, 5);
    ASSERT_EQ(found.size(), 5u);
    EXPECT_EQ(found[0].first, static_cast<std::uint64_t>(q * 37));  // itself, similarity 1
    EXPECT_NEAR(found[0].second, 1.0f, 1e-4);
    for (std::size_t i = 1; i < found.size(); ++i) EXPECT_LE(found[i].second, found[i - 1].second + 1e-6);
    // The exact second nearest, by brute force.
    float best = -2;
    std::size_t best_i = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (i == static_cast<std::size_t>(q * 37)) continue;
      float dot = 0;
      for (std::size_t d = 0; d < 32; ++d) dot += points[i][d] * query[d];
      if (dot > best) best = dot, best_i = i;
    }
    agree += found[1].first == best_i;
  }
  EXPECT_GE(agree, 45);  // approximate, but close to exact at this size
  // A replaced point moves.
  index->Add(0, points[1]);
  EXPECT_EQ(index->size(), 3000u);
  const auto moved = index->Search(points[1], 2);
  EXPECT_NEAR(moved[0].second, 1.0f, 1e-4);
  EXPECT_NEAR(moved[1].second, 1.0f, 1e-4);
  EXPECT_TRUE(index->Search(std::vector<float>(5, 1.0f), 3).empty());  // the wrong dimension
}

TEST(SemanticIndexTest, FollowsTheStorePerUserAndKind) {
  MemoryStore store;
  engines::vector::HnswIndexFactory factory;
  SemanticIndex index(store, factory, "emb");
  const auto east = Unit({1, 0, 0});
  const auto north = Unit({0, 1, 0});
  const auto near_east = Unit({1, 0.2f, 0});
  ASSERT_TRUE(store.Put("ann", ItemKind::kChunk, "c-east", "emb", east).ok());
  ASSERT_TRUE(store.Put("ann", ItemKind::kChunk, "c-north", "emb", north).ok());
  ASSERT_TRUE(store.Put("ann", ItemKind::kMemory, "m-east", "emb", east).ok());
  ASSERT_TRUE(store.Put("bob", ItemKind::kChunk, "b-east", "emb", east).ok());
  ASSERT_TRUE(store.Put("ann", ItemKind::kChunk, "other-model", "old", east).ok());

  auto hits = index.Search("ann", ItemKind::kChunk, near_east, 5);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);  // north is below the similarity floor
  EXPECT_EQ((*hits)[0].item_id, "c-east");
  auto all = index.Search("ann", ItemKind::kChunk, near_east, 5, -1.0f);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].item_id, "c-north");
  auto memories = index.Search("ann", ItemKind::kMemory, near_east, 5);
  ASSERT_EQ(memories->size(), 1u);
  EXPECT_EQ((*memories)[0].item_id, "m-east");
  auto bob = index.Search("bob", ItemKind::kChunk, near_east, 5);
  ASSERT_EQ(bob->size(), 1u);
  EXPECT_EQ((*bob)[0].item_id, "b-east");
  EXPECT_TRUE(index.Search("cy", ItemKind::kChunk, near_east, 5)->empty());

  // New vectors arrive by sequence; a replaced one moves.
  ASSERT_TRUE(store.Put("ann", ItemKind::kChunk, "c-new", "emb", near_east).ok());
  ASSERT_TRUE(store.Put("ann", ItemKind::kChunk, "c-north", "emb", east).ok());
  auto after = index.Search("ann", ItemKind::kChunk, east, 5);
  ASSERT_EQ(after->size(), 3u);
  // A deleted vector is left out once the count shows the store holds fewer: the
  // store's item list says which, and nothing is read again by sequence.
  store.Remove(ItemKind::kChunk, "c-east");
  const int reads_before = store.reads;
  auto pruned = index.Search("ann", ItemKind::kChunk, east, 5);
  ASSERT_EQ(pruned->size(), 2u);
  for (const auto& h : *pruned) EXPECT_NE(h.item_id, "c-east");
  EXPECT_EQ(store.item_reads, 1);
  EXPECT_EQ(store.reads - reads_before, 2);  // the catch-up before and after the count
  // Searching again costs no item list; a deleted memory goes the same way.
  ASSERT_EQ(index.Search("ann", ItemKind::kChunk, east, 5)->size(), 2u);
  EXPECT_EQ(store.item_reads, 1);
  store.Remove(ItemKind::kMemory, "m-east");
  EXPECT_TRUE(index.Search("ann", ItemKind::kMemory, east, 5)->empty());
  EXPECT_EQ(store.item_reads, 2);
  // A vector written after the delete still arrives.
  ASSERT_TRUE(store.Put("ann", ItemKind::kMemory, "m-new", "emb", east).ok());
  auto again = index.Search("ann", ItemKind::kMemory, east, 5);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].item_id, "m-new");
  EXPECT_EQ(*index.CountAll(), 5);  // every user, every model
}

TEST(SemanticIndexTest, ALargeFirstBuildRunsInTheBackgroundAndSearchesWaitForNothing) {
  MemoryStore store;
  engines::vector::HnswIndexFactory factory;
  std::mt19937 rng(3);
  std::normal_distribution<float> normal;
  std::vector<float> target;
  for (int i = 0; i < 3000; ++i) {
    std::vector<float> v(16);
    for (auto& x : v) x = normal(rng);
    if (i == 1234) target = Unit(v);
    ASSERT_TRUE(store.Put("ann", ItemKind::kMemory, "m" + std::to_string(i), "emb", Unit(v)).ok());
  }
  ASSERT_TRUE(store.Put("bob", ItemKind::kMemory, "b1", "emb", target).ok());
  SemanticIndex index(store, factory, "emb", {.background_from = 100});
  // A small store is built inline, as before.
  auto bob = index.Search("bob", ItemKind::kMemory, target, 1);
  ASSERT_EQ(bob->size(), 1u);
  EXPECT_TRUE(index.Ready("bob"));
  // Ann's 3000 go to the builder: no hits until it is done, then the right one.
  auto first = index.Search("ann", ItemKind::kMemory, target, 1);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->empty());
  for (int i = 0; i < 2000 && !index.Ready("ann"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(index.Ready("ann"));
  auto found = index.Search("ann", ItemKind::kMemory, target, 1);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].item_id, "m1234");
}

TEST(SemanticIndexTest, ABuildStillRunningStopsAfterItsBatchWhenTheIndexGoes) {
  MemoryStore store;
  engines::vector::HnswIndexFactory factory;
  std::vector<float> v(8, 0.0f);
  for (int i = 0; i < 5000; ++i) {
    v[static_cast<std::size_t>(i % 8)] += 1.0f;
    ASSERT_TRUE(store.Put("ann", ItemKind::kMemory, "m" + std::to_string(i), "emb", Unit(v)).ok());
  }
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  store.on_since = [&] {
    if (++calls == 2) released.wait();  // the builder is inside its second batch
  };
  std::thread releaser;
  {
    SemanticIndex index(store, factory, "emb", {.background_from = 100});
    EXPECT_TRUE(index.Search("ann", ItemKind::kMemory, Unit(v), 1)->empty());
    while (calls.load() < 2) std::this_thread::yield();
    EXPECT_FALSE(index.Ready("ann"));
    releaser = std::thread([&] { release.set_value(); });
  }  // the destructor waits for the batch in hand, and no further batch is read
  releaser.join();
  EXPECT_EQ(calls.load(), 2);
}

}  // namespace
}  // namespace atrium::core::retrieval
