// The vector side of retrieval: hnswlib's index finds true nearest neighbours of unit
// vectors; SemanticIndex keeps each user's index in step with a store (new vectors by
// sequence, a rebuild after a delete), never mixes users or kinds, and drops neighbours
// below the similarity floor.

#include "core/retrieval/semantic_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

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
    return out;
  }
  Result<std::int64_t> Count(const std::string& user_id, const std::string& model) override {
    return static_cast<std::int64_t>(
        std::count_if(rows.begin(), rows.end(), [&](const Row& r) { return r.user == user_id && r.model == model; }));
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
  // A deleted vector is gone after the rebuild the count mismatch causes.
  store.Remove(ItemKind::kChunk, "c-east");
  auto rebuilt = index.Search("ann", ItemKind::kChunk, east, 5);
  ASSERT_EQ(rebuilt->size(), 2u);
  for (const auto& h : *rebuilt) EXPECT_NE(h.item_id, "c-east");
  EXPECT_EQ(*index.CountAll(), 5);  // every user, every model
}

}  // namespace
}  // namespace atrium::core::retrieval
