// Documents and chunks through each driver's DocumentRepository: owner scoping, the
// revision guard on processing outcomes, list filters, sorting and paging, delete with
// its chunk count, and full-text matching of chunks (stems, ready documents only).

#include "storage/contract/document_contract_fixture.hpp"

namespace atrium::storage::contract {
namespace {

using core::documents::DocumentListQuery;
using core::documents::DocumentSortField;
using core::documents::DocumentStatus;

TEST_P(DocumentContract, StoredDocumentsAreTheOwnersOnly) {
  const auto d = Add("ann", "d1", "Plan.pdf");
  auto got = docs().Get("ann", "d1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->original_name, "Plan.pdf");
  EXPECT_EQ((*got)->status, DocumentStatus::kProcessing);
  EXPECT_EQ((*got)->revision, 1);
  EXPECT_EQ((*got)->metadata.tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE((*got)->page_count.has_value());
  EXPECT_FALSE(docs().Get("bob", "d1")->has_value());
  EXPECT_FALSE(docs().StartRevision("bob", "d1")->has_value());
  EXPECT_FALSE(*docs().Finish("bob", "d1", 1, Processed("bob", "d1", {"x"})));
  EXPECT_FALSE(*docs().Fail("bob", "d1", 1, "no", d.uploaded_at));
  EXPECT_FALSE(docs().Delete("bob", "d1")->has_value());
  EXPECT_TRUE(docs().Chunks("bob", "d1")->empty());
  EXPECT_EQ(*docs().Count("ann"), 1);
  EXPECT_EQ(*docs().Count("bob"), 0);
  EXPECT_EQ(*docs().CountAll(), 1);
}

TEST_P(DocumentContract, FinishStoresChunksOnlyForTheCurrentRevision) {
  Add("ann", "d1", "Plan.pdf");
  ASSERT_TRUE(*docs().Finish("ann", "d1", 1, Processed("ann", "d1", {"first chunk", "second chunk"})));
  auto ready = docs().Get("ann", "d1");
  EXPECT_EQ((*ready)->status, DocumentStatus::kReady);
  EXPECT_EQ((*ready)->chunk_count, 2);
  EXPECT_EQ((*ready)->page_count, 2);
  EXPECT_EQ((*ready)->language, "en");
  EXPECT_EQ((*ready)->metadata.title, "Title of d1");  // the uploader's title stays
  EXPECT_EQ((*ready)->metadata.author, "Ann Author");  // the file's fills the gap
  auto chunks = docs().Chunks("ann", "d1");
  ASSERT_EQ(chunks->size(), 2u);
  EXPECT_EQ((*chunks)[0].content, "first chunk");
  EXPECT_EQ((*chunks)[0].page, 1);
  EXPECT_EQ((*chunks)[0].section, "Introduction");
  EXPECT_EQ((*chunks)[1].index, 1);

  // A reindex moves to revision 2; the old revision's outcome is refused.
  EXPECT_EQ(*docs().StartRevision("ann", "d1"), 2);
  EXPECT_EQ((*docs().Get("ann", "d1"))->status, DocumentStatus::kProcessing);
  EXPECT_FALSE(*docs().Finish("ann", "d1", 1, Processed("ann", "d1", {"stale"})));
  EXPECT_FALSE(*docs().Fail("ann", "d1", 1, "stale failure", "2026-01-01T00:00:00.000Z"));
  EXPECT_EQ((*docs().Get("ann", "d1"))->status, DocumentStatus::kProcessing);
  // Storing the same outcome twice (a rerun after a crash) leaves one set of chunks.
  auto again = Processed("ann", "d1", {"only chunk"});
  ASSERT_TRUE(*docs().Finish("ann", "d1", 2, again));
  for (auto& c : again.chunks) c.id += "-rerun";
  ASSERT_TRUE(*docs().Finish("ann", "d1", 2, again));
  EXPECT_EQ(docs().Chunks("ann", "d1")->size(), 1u);
  EXPECT_EQ((*docs().Get("ann", "d1"))->chunk_count, 1);

  // A failure clears the chunks and says why.
  EXPECT_EQ(*docs().StartRevision("ann", "d1"), 3);
  ASSERT_TRUE(*docs().Fail("ann", "d1", 3, "The document contains no text", "2026-01-02T00:00:00.000Z"));
  auto failed = docs().Get("ann", "d1");
  EXPECT_EQ((*failed)->status, DocumentStatus::kFailed);
  EXPECT_EQ((*failed)->failure, "The document contains no text");
  EXPECT_EQ((*failed)->chunk_count, 0);
  EXPECT_TRUE(docs().Chunks("ann", "d1")->empty());
  // Reindexing a failed document clears the failure.
  EXPECT_EQ(*docs().StartRevision("ann", "d1"), 4);
  EXPECT_FALSE((*docs().Get("ann", "d1"))->failure.has_value());
}

TEST_P(DocumentContract, ListFiltersSortsAndPages) {
  Add("ann", "d1", "beta.pdf", 300);
  Add("ann", "d2", "alpha.pdf", 100);
  Add("ann", "d3", "gamma.pdf", 200);
  Add("bob", "b1", "bob.pdf", 50);
  ASSERT_TRUE(*docs().Finish("ann", "d2", 1, Processed("ann", "d2", {"x"})));

  auto all = docs().List("ann", {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 3);
  ASSERT_EQ(all->items.size(), 3u);
  EXPECT_EQ(all->items[0].id, "d3");  // newest upload first by default
  EXPECT_EQ(all->items[2].id, "d1");

  DocumentListQuery ready;
  ready.status = DocumentStatus::kReady;
  auto r = docs().List("ann", ready);
  EXPECT_EQ(r->total, 1);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].id, "d2");

  DocumentListQuery by_size;
  by_size.sort = DocumentSortField::kSize;
  by_size.descending = false;
  auto s = docs().List("ann", by_size);
  ASSERT_EQ(s->items.size(), 3u);
  EXPECT_EQ(s->items[0].id, "d2");
  EXPECT_EQ(s->items[1].id, "d3");

  DocumentListQuery by_name;
  by_name.sort = DocumentSortField::kName;
  by_name.descending = false;
  by_name.limit = 2;
  by_name.offset = 1;
  auto n = docs().List("ann", by_name);
  EXPECT_EQ(n->total, 3);
  ASSERT_EQ(n->items.size(), 2u);
  EXPECT_EQ(n->items[0].original_name, "beta.pdf");
  EXPECT_EQ(n->items[1].original_name, "gamma.pdf");

  DocumentListQuery processed;
  processed.sort = DocumentSortField::kProcessedAt;
  auto p = docs().List("ann", processed);
  ASSERT_EQ(p->items.size(), 3u);
  EXPECT_EQ(p->items[0].id, "d2");  // unprocessed ones after, either way

  DocumentListQuery none;
  none.status = DocumentStatus::kFailed;
  EXPECT_EQ(docs().List("ann", none)->total, 0);
}

TEST_P(DocumentContract, DeleteRemovesTheDocumentAndCountsItsChunks) {
  Add("ann", "d1", "Plan.pdf");
  ASSERT_TRUE(*docs().Finish("ann", "d1", 1, Processed("ann", "d1", {"a", "b", "c"})));
  auto gone = docs().Delete("ann", "d1");
  ASSERT_TRUE(gone.ok() && gone->has_value());
  EXPECT_EQ(**gone, 3);
  EXPECT_FALSE(docs().Get("ann", "d1")->has_value());
  EXPECT_TRUE(docs().Chunks("ann", "d1")->empty());
  EXPECT_FALSE(docs().Delete("ann", "d1")->has_value());
  EXPECT_TRUE(docs().MatchChunks("ann", "a b c", 10)->empty());
  // Processing that finishes after the delete stores nothing.
  EXPECT_FALSE(*docs().Finish("ann", "d1", 1, Processed("ann", "d1", {"late"})));
}

TEST_P(DocumentContract, ChunksMatchByStemInReadyDocumentsOfTheOwner) {
  Add("ann", "d1", "Garden.pdf");
  Add("ann", "d2", "Pending.pdf");
  Add("bob", "b1", "Bob.pdf");
  ASSERT_TRUE(
      *docs().Finish("ann", "d1", 1,
                     Processed("ann", "d1",
                               {"The tomatoes are planted in spring.", "Watering twice a week keeps the gardens green.",
                                "Nothing about plants here."})));
  ASSERT_TRUE(*docs().Finish("bob", "b1", 1, Processed("bob", "b1", {"Bob waters his garden daily."})));
  // d2 is still processing: its chunks (none yet) never match.

  auto hits = docs().MatchChunks("ann", "garden watered?", 10);
  ASSERT_TRUE(hits.ok()) << hits.error().internal_message();
  ASSERT_EQ(hits->size(), 1u);  // stems: gardens ~ garden, watering ~ watered
  EXPECT_EQ((*hits)[0].chunk.id, "d1-c1");
  EXPECT_EQ((*hits)[0].chunk.page, 2);
  EXPECT_EQ((*hits)[0].document_name, "Garden.pdf");
  EXPECT_GT((*hits)[0].rank, 0.0);
  EXPECT_LT((*hits)[0].rank, 1.0);

  auto any = docs().MatchChunks("ann", "tomatoes OR gardens", 10);  // OR is a word, not syntax
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->size(), 2u);
  auto limited = docs().MatchChunks("ann", "tomatoes gardens", 1);
  EXPECT_EQ(limited->size(), 1u);
  EXPECT_TRUE(docs().MatchChunks("ann", "\"*:() ", 10)->empty());  // no words
  EXPECT_TRUE(docs().MatchChunks("bob", "tomatoes", 10)->empty());

  // The section heading is searchable too.
  auto section = docs().MatchChunks("ann", "introduction", 10);
  ASSERT_EQ(section->size(), 1u);
  EXPECT_EQ((*section)[0].chunk.id, "d1-c0");

  // A failed revision takes its chunks out of the index.
  EXPECT_EQ(*docs().StartRevision("ann", "d1"), 2);
  EXPECT_TRUE(docs().MatchChunks("ann", "tomatoes", 10)->empty());
}

}  // namespace
}  // namespace atrium::storage::contract
