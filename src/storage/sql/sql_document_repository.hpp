#pragma once
// DocumentRepository on SQL, shared by both drivers; the chunks' full-text matching is
// the driver's ChunkTextSearch.

#include "core/documents/document_repository.hpp"
#include "storage/database.hpp"
#include "storage/sql/chunk_text_search.hpp"

namespace atrium::storage::sql {

class SqlDocumentRepository final : public core::documents::DocumentRepository {
 public:
  SqlDocumentRepository(Database& db, ChunkTextSearch& search) : db_(db), search_(search) {}

  core::Result<void> Insert(const core::documents::Document& document) override;
  core::Result<std::optional<core::documents::Document>> Get(const std::string& user_id,
                                                             const std::string& id) override;
  core::Result<core::documents::DocumentPage> List(const std::string& user_id,
                                                   const core::documents::DocumentListQuery& query) override;
  core::Result<std::vector<core::documents::StoredChunk>> Chunks(const std::string& user_id,
                                                                 const std::string& document_id) override;
  core::Result<std::optional<std::int64_t>> StartRevision(const std::string& user_id, const std::string& id) override;
  core::Result<bool> Finish(const std::string& user_id, const std::string& id, std::int64_t revision,
                            const core::documents::ProcessedDocument& processed) override;
  core::Result<bool> Fail(const std::string& user_id, const std::string& id, std::int64_t revision,
                          const std::string& reason, const std::string& processed_at) override;
  core::Result<std::optional<std::int64_t>> Delete(const std::string& user_id, const std::string& id) override;
  core::Result<std::int64_t> Count(const std::string& user_id) override;
  core::Result<std::int64_t> CountAll() override;
  core::Result<std::vector<core::documents::ChunkMatch>> MatchChunks(const std::string& user_id,
                                                                     const std::string& query,
                                                                     std::int64_t limit) override;
  core::Result<std::vector<core::documents::ChunkMatch>> ChunksById(const std::string& user_id,
                                                                    const std::vector<std::string>& ids) override;

 private:
  Database& db_;
  ChunkTextSearch& search_;
};

}  // namespace atrium::storage::sql
