// Embeddings through each driver's EmbeddingRepository: stored only for items that
// exist and are the user's, replaced in place with a new sequence number, read by
// sequence, counted, found missing, dropped for other models, and gone with their
// document or memory.

#include <algorithm>

#include "storage/contract/document_contract_fixture.hpp"

namespace atrium::storage::contract {
namespace {

using core::retrieval::ItemKind;

TEST_P(EmbeddingContract, VectorsOfExistingItemsAreStoredReadAndReplaced) {
  Add("ann", "d1", "Plan.pdf");
  ASSERT_TRUE(*docs().Finish("ann", "d1", 1, Processed("ann", "d1", {"alpha", "beta"})));
  AddMemory("ann", "m1", "likes tea");
  EXPECT_TRUE(*vectors().Put("ann", ItemKind::kChunk, "d1-c0", "emb", {1.0f, 0.0f, 0.5f}));
  EXPECT_TRUE(*vectors().Put("ann", ItemKind::kMemory, "m1", "emb", {0.25f, -1.5f, 3.0f}));
  // Not the user's, or not there: nothing stored.
  EXPECT_FALSE(*vectors().Put("bob", ItemKind::kChunk, "d1-c1", "emb", {1, 2, 3}));
  EXPECT_FALSE(*vectors().Put("ann", ItemKind::kMemory, "nope", "emb", {1, 2, 3}));
  EXPECT_EQ(*vectors().Count("ann", "emb"), 2);
  EXPECT_EQ(*vectors().Count("bob", "emb"), 0);

  auto all = vectors().Since("ann", "emb", 0, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].item_id, "d1-c0");
  EXPECT_EQ((*all)[0].kind, ItemKind::kChunk);
  EXPECT_EQ((*all)[0].vector, (std::vector<float>{1.0f, 0.0f, 0.5f}));
  EXPECT_EQ((*all)[1].kind, ItemKind::kMemory);
  EXPECT_EQ((*all)[1].vector, (std::vector<float>{0.25f, -1.5f, 3.0f}));
  EXPECT_LT((*all)[0].seq, (*all)[1].seq);

  // A replacement keeps the count and comes after everything read so far.
  const auto last = (*all)[1].seq;
  EXPECT_TRUE(*vectors().Put("ann", ItemKind::kChunk, "d1-c0", "emb", {9, 9, 9}));
  EXPECT_EQ(*vectors().Count("ann", "emb"), 2);
  auto newer = vectors().Since("ann", "emb", last, 100);
  ASSERT_EQ(newer->size(), 1u);
  EXPECT_EQ((*newer)[0].item_id, "d1-c0");
  EXPECT_EQ((*newer)[0].vector, (std::vector<float>{9, 9, 9}));
  EXPECT_EQ(vectors().Since("ann", "emb", 0, 1)->size(), 1u);  // the limit

  // The items the user's vectors belong to, whatever their order.
  auto items = vectors().Items("ann", "emb");
  ASSERT_TRUE(items.ok());
  std::sort(items->begin(), items->end());
  EXPECT_EQ(*items,
            (std::vector<std::pair<ItemKind, std::string>>{{ItemKind::kChunk, "d1-c0"}, {ItemKind::kMemory, "m1"}}));
  EXPECT_TRUE(vectors().Items("ann", "other")->empty());
  EXPECT_TRUE(vectors().Items("bob", "emb")->empty());
}

TEST_P(EmbeddingContract, MissingItemsAndOtherModels) {
  Add("ann", "d1", "Plan.pdf");
  Add("ann", "d2", "Pending.pdf");  // not ready: its chunks are not asked for
  ASSERT_TRUE(*docs().Finish("ann", "d1", 1, Processed("ann", "d1", {"alpha", "beta"})));
  AddMemory("bob", "m1", "likes tea");
  auto missing = vectors().Missing("emb", 100);
  ASSERT_TRUE(missing.ok());
  ASSERT_EQ(missing->size(), 3u);
  EXPECT_EQ((*missing)[0].kind, ItemKind::kChunk);
  EXPECT_EQ((*missing)[0].text, "alpha");
  EXPECT_EQ((*missing)[0].user_id, "ann");
  EXPECT_EQ((*missing)[2].kind, ItemKind::kMemory);
  EXPECT_EQ((*missing)[2].user_id, "bob");
  EXPECT_EQ(vectors().Missing("emb", 1)->size(), 1u);
  EXPECT_TRUE(*vectors().Put("ann", ItemKind::kChunk, "d1-c0", "emb", {1}));
  EXPECT_TRUE(*vectors().Put("bob", ItemKind::kMemory, "m1", "old", {1}));
  EXPECT_EQ(vectors().Missing("emb", 100)->size(), 2u);  // m1 has only another model's
  EXPECT_EQ(*vectors().RemoveOtherModels("emb"), 1);
  EXPECT_EQ(*vectors().CountAll(), 1);
}

TEST_P(EmbeddingContract, VectorsGoWithTheirDocumentOrMemory) {
  Add("ann", "d1", "Plan.pdf");
  auto p = Processed("ann", "d1", {"alpha", "beta"});
  p.embedding_model = "emb";
  p.vectors = {{1, 0}, {0, 1}};
  ASSERT_TRUE(*docs().Finish("ann", "d1", 1, p));
  EXPECT_EQ(*vectors().Count("ann", "emb"), 2);  // stored with the chunks
  AddMemory("ann", "m1", "likes tea");
  EXPECT_TRUE(*vectors().Put("ann", ItemKind::kMemory, "m1", "emb", {1, 1}));
  EXPECT_EQ(*vectors().Count("ann", "emb"), 3);

  // A new revision's chunks replace the old ones' vectors.
  EXPECT_EQ(*docs().StartRevision("ann", "d1"), 2);
  ASSERT_TRUE(*docs().Finish("ann", "d1", 2, Processed("ann", "d1", {"gamma"})));
  EXPECT_EQ(*vectors().Count("ann", "emb"), 1);
  // Changed words drop the memory's vector; deleting drops it too.
  ASSERT_TRUE(repos().memories.Update("ann", "m1", {.content = std::string("likes coffee")}, "2026").ok());
  EXPECT_EQ(*vectors().Count("ann", "emb"), 0);
  EXPECT_TRUE(*vectors().Put("ann", ItemKind::kMemory, "m1", "emb", {1, 1}));
  ASSERT_TRUE(*repos().memories.Delete("ann", "m1"));
  EXPECT_EQ(*vectors().Count("ann", "emb"), 0);

  auto q = Processed("ann", "d1", {"delta"});
  q.embedding_model = "emb";
  q.vectors = {{1, 0}};
  EXPECT_EQ(*docs().StartRevision("ann", "d1"), 3);
  ASSERT_TRUE(*docs().Finish("ann", "d1", 3, q));
  EXPECT_EQ(*vectors().Count("ann", "emb"), 1);
  ASSERT_TRUE(docs().Delete("ann", "d1")->has_value());
  EXPECT_EQ(*vectors().Count("ann", "emb"), 0);
}

}  // namespace

}  // namespace atrium::storage::contract
