#pragma once
// EmbeddingRepository on SQL (both drivers): the embeddings table of migration 15,
// vectors as base64 text of float32 values.

#include "core/retrieval/embedding_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlEmbeddingRepository final : public core::retrieval::EmbeddingRepository {
 public:
  explicit SqlEmbeddingRepository(Database& db) : db_(db) {}

  core::Result<bool> Put(const std::string& user_id, core::retrieval::ItemKind kind, const std::string& item_id,
                         const std::string& model, const std::vector<float>& vector) override;
  core::Result<std::vector<core::retrieval::StoredEmbedding>> Since(const std::string& user_id,
                                                                    const std::string& model, std::int64_t after_seq,
                                                                    std::int64_t limit) override;
  core::Result<std::int64_t> Count(const std::string& user_id, const std::string& model) override;
  core::Result<std::vector<std::pair<core::retrieval::ItemKind, std::string>>> Items(const std::string& user_id,
                                                                                     const std::string& model) override;
  core::Result<std::vector<core::retrieval::Unembedded>> Missing(const std::string& model, std::int64_t limit) override;
  core::Result<std::int64_t> RemoveOtherModels(const std::string& model) override;
  core::Result<std::int64_t> CountAll() override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
