#include "storage/sql/sql_embedding_repository.hpp"

#include <algorithm>

#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

using core::retrieval::ItemKind;

ItemKind KindFrom(std::string_view name) { return name == "memory" ? ItemKind::kMemory : ItemKind::kChunk; }

}  // namespace

core::Result<bool> SqlEmbeddingRepository::Put(const std::string& user_id, ItemKind kind, const std::string& item_id,
                                               const std::string& model, const std::vector<float>& vector) {
  bool stored = false;
  const std::string kind_name(core::retrieval::ItemKindName(kind));
  auto done = db_.Transact([&](Executor& tx) -> core::Result<void> {
    // Only for an item of this user that still exists; a chunk's row says its document.
    auto owner =
        kind == ItemKind::kChunk
            ? tx.Query("SELECT document_id FROM document_chunks WHERE id = ? AND user_id = ?", {item_id, user_id})
            : tx.Query("SELECT NULL FROM memories WHERE id = ? AND user_id = ?", {item_id, user_id});
    if (!owner) return owner.error();
    if (owner->empty()) return core::Ok{};
    if (auto old = tx.Execute("DELETE FROM embeddings WHERE item_kind = ? AND item_id = ? AND model = ?",
                              {kind_name, item_id, model});
        !old) {
      return old.error();
    }
    auto added = tx.Execute(
        "INSERT INTO embeddings (user_id, item_kind, item_id, document_id, model, dims, vector)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        Params{user_id, kind_name, item_id, owner->rows[0][0], model, static_cast<std::int64_t>(vector.size()),
               core::retrieval::EncodeVector(vector)});
    if (!added) return added.error();
    stored = true;
    return core::Ok{};
  });
  if (!done) return done.error();
  return stored;
}

core::Result<std::vector<core::retrieval::StoredEmbedding>> SqlEmbeddingRepository::Since(const std::string& user_id,
                                                                                          const std::string& model,
                                                                                          std::int64_t after_seq,
                                                                                          std::int64_t limit) {
  auto rows = db_.Query(
      "SELECT seq, item_kind, item_id, vector FROM embeddings WHERE user_id = ? AND model = ? AND seq > ?"
      " ORDER BY seq LIMIT ?",
      {user_id, model, after_seq, std::clamp<std::int64_t>(limit, 1, 100000)});
  if (!rows) return rows.error();
  std::vector<core::retrieval::StoredEmbedding> out;
  out.reserve(rows->rows.size());
  for (const auto& r : rows->rows) {
    out.push_back({Int(r[0]), KindFrom(Text(r[1])), Text(r[2]), core::retrieval::DecodeVector(Text(r[3]))});
  }
  return out;
}

core::Result<std::int64_t> SqlEmbeddingRepository::Count(const std::string& user_id, const std::string& model) {
  auto rows = db_.Query("SELECT COUNT(*) FROM embeddings WHERE user_id = ? AND model = ?", {user_id, model});
  if (!rows) return rows.error();
  return Int(rows->rows[0][0]);
}

core::Result<std::vector<std::pair<ItemKind, std::string>>> SqlEmbeddingRepository::Items(const std::string& user_id,
                                                                                          const std::string& model) {
  auto rows = db_.Query("SELECT item_kind, item_id FROM embeddings WHERE user_id = ? AND model = ?", {user_id, model});
  if (!rows) return rows.error();
  std::vector<std::pair<ItemKind, std::string>> out;
  out.reserve(rows->rows.size());
  for (const auto& r : rows->rows) out.emplace_back(KindFrom(Text(r[0])), Text(r[1]));
  return out;
}

core::Result<std::vector<core::retrieval::Unembedded>> SqlEmbeddingRepository::Missing(const std::string& model,
                                                                                       std::int64_t limit) {
  const std::int64_t n = std::clamp<std::int64_t>(limit, 1, 10000);
  std::vector<core::retrieval::Unembedded> out;
  auto chunks = db_.Query(
      "SELECT c.id, c.user_id, c.content FROM document_chunks c JOIN documents d ON d.id = c.document_id"
      " WHERE d.status = 'ready' AND NOT EXISTS (SELECT 1 FROM embeddings e"
      "  WHERE e.item_kind = 'chunk' AND e.item_id = c.id AND e.model = ?)"
      " ORDER BY c.seq LIMIT ?",
      {model, n});
  if (!chunks) return chunks.error();
  for (const auto& r : chunks->rows) out.push_back({ItemKind::kChunk, Text(r[0]), Text(r[1]), Text(r[2])});
  if (static_cast<std::int64_t>(out.size()) >= n) return out;
  auto memories = db_.Query(
      "SELECT m.id, m.user_id, m.content FROM memories m WHERE NOT EXISTS (SELECT 1 FROM embeddings e"
      "  WHERE e.item_kind = 'memory' AND e.item_id = m.id AND e.model = ?)"
      " ORDER BY m.seq LIMIT ?",
      {model, n - static_cast<std::int64_t>(out.size())});
  if (!memories) return memories.error();
  for (const auto& r : memories->rows) out.push_back({ItemKind::kMemory, Text(r[0]), Text(r[1]), Text(r[2])});
  return out;
}

core::Result<std::int64_t> SqlEmbeddingRepository::RemoveOtherModels(const std::string& model) {
  return db_.Execute("DELETE FROM embeddings WHERE model <> ?", {model});
}

core::Result<std::int64_t> SqlEmbeddingRepository::CountAll() {
  auto rows = db_.Query("SELECT COUNT(*) FROM embeddings");
  if (!rows) return rows.error();
  return Int(rows->rows[0][0]);
}

}  // namespace atrium::storage::sql
