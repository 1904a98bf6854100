#pragma once
// The document part of the storage contract suite (document_contract_test.cpp): the
// StorageContract fixture with two users and helpers that store documents and chunks
// through the driver's DocumentRepository. Instantiated beside StorageContract.

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/documents/document_repository.hpp"
#include "core/memory/memory_repository.hpp"
#include "core/retrieval/embedding_repository.hpp"
#include "storage/contract/contract_fixture.hpp"

namespace atrium::storage::contract {

class DocumentContract : public StorageContract {
 protected:
  void SetUp() override {
    StorageContract::SetUp();
    if (IsSkipped()) return;
    AddUser("ann", "ann@example.com");
    AddUser("bob", "bob@example.com");
  }

  core::documents::DocumentRepository& docs() { return repos().documents; }

  core::documents::Document Add(const std::string& user, const std::string& id, const std::string& name,
                                std::uint64_t size = 100) {
    core::documents::Document d;
    d.id = id;
    d.user_id = user;
    d.original_name = name;
    d.filename = name;
    d.format = core::documents::DocumentFormat::kPdf;
    d.size = size;
    d.blob_key = "documents/" + user + "/" + id;
    d.uploaded_at = core::FormatRfc3339(clock_.Now(), 3);
    d.metadata.title = "Title of " + id;
    d.metadata.tags = {"a", "b"};
    EXPECT_TRUE(docs().Insert(d).ok());
    clock_.Advance(std::chrono::seconds(1));
    return d;
  }

  core::documents::ProcessedDocument Processed(const std::string& user, const std::string& doc,
                                               const std::vector<std::string>& texts) {
    core::documents::ProcessedDocument p;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      core::documents::StoredChunk c;
      c.id = doc + "-c" + std::to_string(i);
      c.document_id = doc;
      c.user_id = user;
      c.index = static_cast<int>(i);
      c.content = texts[i];
      c.page = static_cast<int>(i) + 1;
      c.section = i == 0 ? "Introduction" : "";
      p.chunks.push_back(c);
    }
    p.page_count = static_cast<int>(texts.size());
    p.language = "en";
    p.title = "From the file";
    p.author = "Ann Author";
    p.processed_at = core::FormatRfc3339(clock_.Now(), 3);
    return p;
  }
};

// The embeddings part (embedding_contract_test.cpp), on top of the documents' fixture.
class EmbeddingContract : public DocumentContract {
 protected:
  core::retrieval::EmbeddingRepository& vectors() { return repos().embeddings; }

  void AddMemory(const std::string& user, const std::string& id, const std::string& content) {
    core::memory::Memory m;
    m.id = id;
    m.user_id = user;
    m.content = content;
    m.created_at = m.updated_at = core::FormatRfc3339(clock_.Now(), 3);
    ASSERT_TRUE(repos().memories.Insert(m).ok());
  }
};

}  // namespace atrium::storage::contract
