#include "storage/sql/sql_document_repository.hpp"

#include <algorithm>

#include "core/retrieval/embedding_repository.hpp"
#include "storage/sql/document_rows.hpp"
#include "storage/sql/memory_rows.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

using core::documents::Document;
using core::documents::DocumentSortField;
using core::documents::StoredChunk;

Value OptInt(const std::optional<int>& n) { return n ? Value{static_cast<std::int64_t>(*n)} : Value{Null{}}; }

std::string_view SortColumn(DocumentSortField field) {
  switch (field) {
    case DocumentSortField::kUploadedAt:
      return "d.seq";
    case DocumentSortField::kProcessedAt:
      return "d.processed_at";
    case DocumentSortField::kSize:
      return "d.size";
    case DocumentSortField::kName:
      return "d.original_name";
  }
  return "d.seq";
}

core::Result<std::optional<Document>> GetWith(Executor& q, const std::string& user_id, const std::string& id) {
  auto rows = q.Query(std::string("SELECT ") + kDocumentColumns + " FROM documents d WHERE d.id = ? AND d.user_id = ?",
                      {id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Document>{};
  return std::optional<Document>{DocumentFrom(rows->rows[0])};
}

}  // namespace

core::Result<void> SqlDocumentRepository::Insert(const Document& d) {
  auto stored = db_.Execute(
      "INSERT INTO documents (id, user_id, filename, original_name, format, size, status, failure, blob_key, revision,"
      " uploaded_at, processed_at, chunk_count, page_count, language, title, author, tags)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      Params{d.id, d.user_id, d.filename, d.original_name, std::string(core::documents::DocumentFormatName(d.format)),
             static_cast<std::int64_t>(d.size), std::string(core::documents::StatusName(d.status)), Opt(d.failure),
             d.blob_key, d.revision, d.uploaded_at, Opt(d.processed_at), d.chunk_count, OptInt(d.page_count),
             Opt(d.language), Opt(d.metadata.title), Opt(d.metadata.author), TagsText(d.metadata.tags)});
  if (!stored) return stored.error();
  return core::Ok{};
}

core::Result<std::optional<Document>> SqlDocumentRepository::Get(const std::string& user_id, const std::string& id) {
  auto rows = db_.Query(
      std::string("SELECT ") + kDocumentColumns + " FROM documents d WHERE d.id = ? AND d.user_id = ?", {id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Document>{};
  return std::optional<Document>{DocumentFrom(rows->rows[0])};
}

core::Result<core::documents::DocumentPage> SqlDocumentRepository::List(
    const std::string& user_id, const core::documents::DocumentListQuery& query) {
  std::string where = " FROM documents d WHERE d.user_id = ?";
  Params params{user_id};
  if (query.status) {
    where += " AND d.status = ?";
    params.emplace_back(std::string(core::documents::StatusName(*query.status)));
  }
  auto counted = db_.Query("SELECT COUNT(*)" + where, params);
  if (!counted) return counted.error();
  core::documents::DocumentPage page;
  page.total = Int(counted->rows[0][0]);
  if (page.total == 0) return page;
  const std::string dir = query.descending ? " DESC" : " ASC";
  // Documents not processed yet sort after the processed ones either way.
  std::string order = " ORDER BY ";
  if (query.sort == DocumentSortField::kProcessedAt) order += "CASE WHEN d.processed_at IS NULL THEN 1 ELSE 0 END, ";
  order += std::string(SortColumn(query.sort)) + dir + ", d.seq" + dir;
  params.emplace_back(std::clamp<std::int64_t>(query.limit, 1, 1000));
  params.emplace_back(std::max<std::int64_t>(query.offset, 0));
  auto rows = db_.Query(std::string("SELECT ") + kDocumentColumns + where + order + " LIMIT ? OFFSET ?", params);
  if (!rows) return rows.error();
  for (const auto& r : rows->rows) page.items.push_back(DocumentFrom(r));
  return page;
}

core::Result<std::vector<StoredChunk>> SqlDocumentRepository::Chunks(const std::string& user_id,
                                                                     const std::string& document_id) {
  auto rows = db_.Query(std::string("SELECT ") + kChunkColumns +
                            " FROM document_chunks c WHERE c.document_id = ? AND c.user_id = ? ORDER BY c.chunk_index",
                        {document_id, user_id});
  if (!rows) return rows.error();
  std::vector<StoredChunk> out;
  out.reserve(rows->rows.size());
  for (const auto& r : rows->rows) out.push_back(ChunkFrom(r));
  return out;
}

core::Result<std::optional<std::int64_t>> SqlDocumentRepository::StartRevision(const std::string& user_id,
                                                                               const std::string& id) {
  std::optional<std::int64_t> revision;
  auto done = db_.Transact([&](Executor& tx) -> core::Result<void> {
    auto changed = tx.Execute(
        "UPDATE documents SET status = 'processing', failure = NULL, revision = revision + 1"
        " WHERE id = ? AND user_id = ?",
        {id, user_id});
    if (!changed) return changed.error();
    if (*changed == 0) return core::Ok{};
    auto rows = tx.Query("SELECT revision FROM documents WHERE id = ?", {id});
    if (!rows) return rows.error();
    if (!rows->empty()) revision = Int(rows->rows[0][0]);
    return core::Ok{};
  });
  if (!done) return done.error();
  return revision;
}

core::Result<bool> SqlDocumentRepository::Finish(const std::string& user_id, const std::string& id,
                                                 std::int64_t revision, const core::documents::ProcessedDocument& p) {
  bool stored = false;
  auto done = db_.Transact([&](Executor& tx) -> core::Result<void> {
    auto changed = tx.Execute(
        "UPDATE documents SET status = 'ready', failure = NULL, processed_at = ?, chunk_count = ?, page_count = ?,"
        " language = ?, title = COALESCE(title, ?), author = COALESCE(author, ?)"
        " WHERE id = ? AND user_id = ? AND revision = ?",
        Params{p.processed_at, static_cast<std::int64_t>(p.chunks.size()), OptInt(p.page_count), Opt(p.language),
               Opt(p.title), Opt(p.author), id, user_id, revision});
    if (!changed) return changed.error();
    if (*changed == 0) return core::Ok{};
    if (auto cleared = tx.Execute("DELETE FROM document_chunks WHERE document_id = ?", {id}); !cleared) {
      return cleared.error();
    }
    if (auto vectors = tx.Execute("DELETE FROM embeddings WHERE document_id = ?", {id}); !vectors) {
      return vectors.error();
    }
    for (std::size_t i = 0; i < p.chunks.size(); ++i) {
      const auto& c = p.chunks[i];
      auto added = tx.Execute(
          "INSERT INTO document_chunks (id, document_id, user_id, chunk_index, content, page, section)"
          " VALUES (?, ?, ?, ?, ?, ?, ?)",
          Params{c.id, id, user_id, static_cast<std::int64_t>(c.index), c.content, static_cast<std::int64_t>(c.page),
                 c.section});
      if (!added) return added.error();
      if (i < p.vectors.size() && !p.vectors[i].empty()) {
        auto vector = tx.Execute(
            "INSERT INTO embeddings (user_id, item_kind, item_id, document_id, model, dims, vector)"
            " VALUES (?, 'chunk', ?, ?, ?, ?, ?)",
            Params{user_id, c.id, id, p.embedding_model, static_cast<std::int64_t>(p.vectors[i].size()),
                   core::retrieval::EncodeVector(p.vectors[i])});
        if (!vector) return vector.error();
      }
    }
    stored = true;
    return core::Ok{};
  });
  if (!done) return done.error();
  return stored;
}

core::Result<bool> SqlDocumentRepository::Fail(const std::string& user_id, const std::string& id, std::int64_t revision,
                                               const std::string& reason, const std::string& processed_at) {
  bool marked = false;
  auto done = db_.Transact([&](Executor& tx) -> core::Result<void> {
    auto changed = tx.Execute(
        "UPDATE documents SET status = 'failed', failure = ?, processed_at = ?, chunk_count = 0"
        " WHERE id = ? AND user_id = ? AND revision = ?",
        Params{reason, processed_at, id, user_id, revision});
    if (!changed) return changed.error();
    if (*changed == 0) return core::Ok{};
    // A failed document answers nothing: chunks of an earlier revision go too.
    if (auto cleared = tx.Execute("DELETE FROM document_chunks WHERE document_id = ?", {id}); !cleared) {
      return cleared.error();
    }
    if (auto vectors = tx.Execute("DELETE FROM embeddings WHERE document_id = ?", {id}); !vectors) {
      return vectors.error();
    }
    marked = true;
    return core::Ok{};
  });
  if (!done) return done.error();
  return marked;
}

core::Result<std::optional<std::int64_t>> SqlDocumentRepository::Delete(const std::string& user_id,
                                                                        const std::string& id) {
  std::optional<std::int64_t> chunks;
  auto done = db_.Transact([&](Executor& tx) -> core::Result<void> {
    auto found = GetWith(tx, user_id, id);
    if (!found) return found.error();
    if (!*found) return core::Ok{};
    if (auto vectors = tx.Execute("DELETE FROM embeddings WHERE document_id = ?", {id}); !vectors) {
      return vectors.error();
    }
    auto gone_chunks = tx.Execute("DELETE FROM document_chunks WHERE document_id = ?", {id});
    if (!gone_chunks) return gone_chunks.error();
    auto gone = tx.Execute("DELETE FROM documents WHERE id = ? AND user_id = ?", {id, user_id});
    if (!gone) return gone.error();
    chunks = *gone_chunks;
    return core::Ok{};
  });
  if (!done) return done.error();
  return chunks;
}

core::Result<std::int64_t> SqlDocumentRepository::Count(const std::string& user_id) {
  auto rows = db_.Query("SELECT COUNT(*) FROM documents WHERE user_id = ?", {user_id});
  if (!rows) return rows.error();
  return Int(rows->rows[0][0]);
}

core::Result<std::int64_t> SqlDocumentRepository::CountAll() {
  auto rows = db_.Query("SELECT COUNT(*) FROM documents");
  if (!rows) return rows.error();
  return Int(rows->rows[0][0]);
}

core::Result<std::vector<core::documents::ChunkMatch>> SqlDocumentRepository::MatchChunks(const std::string& user_id,
                                                                                          const std::string& query,
                                                                                          std::int64_t limit) {
  return search_.Match(db_, user_id, query, std::clamp<std::int64_t>(limit, 1, 1000));
}

core::Result<std::vector<core::documents::ChunkMatch>> SqlDocumentRepository::ChunksById(
    const std::string& user_id, const std::vector<std::string>& ids) {
  std::vector<core::documents::ChunkMatch> out;
  if (ids.empty()) return out;
  std::string sql = std::string("SELECT ") + kChunkColumns +
                    ", d.original_name FROM document_chunks c JOIN documents d ON d.id = c.document_id"
                    " WHERE c.user_id = ? AND d.status = 'ready' AND c.id IN (";
  Params params{user_id};
  for (std::size_t i = 0; i < ids.size() && i < 100; ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.emplace_back(ids[i]);
  }
  sql += ")";
  auto rows = db_.Query(sql, params);
  if (!rows) return rows.error();
  for (const auto& r : rows->rows) out.push_back({ChunkFrom(r), Text(r[7]), 0});
  return out;
}

}  // namespace atrium::storage::sql
