#pragma once
// Where documents and their chunks are kept. The core owns the interface; each storage
// driver implements it (src/storage/sql), with the chunks' full-text index in the
// driver's own engine (FTS5, tsvector). Every read and write is scoped to one user.
// Blocking; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/documents/document.hpp"
#include "core/result.hpp"

namespace atrium::core::documents {

enum class DocumentSortField { kUploadedAt, kProcessedAt, kSize, kName };

struct DocumentListQuery {
  std::optional<DocumentStatus> status;
  DocumentSortField sort = DocumentSortField::kUploadedAt;
  bool descending = true;
  std::int64_t limit = 20;
  std::int64_t offset = 0;
};

struct DocumentPage {
  std::vector<Document> items;
  std::int64_t total = 0;
};

// What a finished processing run stores, all at once.
struct ProcessedDocument {
  std::vector<StoredChunk> chunks;  // ids set by the caller
  std::optional<int> page_count;
  std::optional<std::string> language;
  std::optional<std::string> title;   // only replaces a title the uploader did not give
  std::optional<std::string> author;  // the same
  std::string processed_at;
  // One vector per chunk, in the same order, of `embedding_model`; empty when no
  // embedding model is configured (or embedding failed: a later job fills them in).
  std::string embedding_model;
  std::vector<std::vector<float>> vectors;
};

struct ChunkMatch {
  StoredChunk chunk;
  std::string document_name;  // the document's original name, for citations
  double rank = 0;            // (0, 1), higher better
};

class DocumentRepository {
 public:
  virtual ~DocumentRepository() = default;

  virtual Result<void> Insert(const Document& document) = 0;
  virtual Result<std::optional<Document>> Get(const std::string& user_id, const std::string& id) = 0;
  virtual Result<DocumentPage> List(const std::string& user_id, const DocumentListQuery& query) = 0;
  // In document order.
  virtual Result<std::vector<StoredChunk>> Chunks(const std::string& user_id, const std::string& document_id) = 0;

  // Reindex: status processing, the failure cleared, revision + 1. The new revision, or
  // nullopt when there is no such document of this user.
  virtual Result<std::optional<std::int64_t>> StartRevision(const std::string& user_id, const std::string& id) = 0;
  // Replaces the document's chunks and marks it ready, only while it is still at
  // `revision` (false otherwise: a reindex or a delete came in between).
  virtual Result<bool> Finish(const std::string& user_id, const std::string& id, std::int64_t revision,
                              const ProcessedDocument& processed) = 0;
  // Marks it failed with `reason`, only while it is still at `revision`.
  virtual Result<bool> Fail(const std::string& user_id, const std::string& id, std::int64_t revision,
                            const std::string& reason, const std::string& processed_at) = 0;
  // The document and its chunks: how many chunks went, or nullopt when there was no
  // such document of this user.
  virtual Result<std::optional<std::int64_t>> Delete(const std::string& user_id, const std::string& id) = 0;

  virtual Result<std::int64_t> Count(const std::string& user_id) = 0;
  virtual Result<std::int64_t> CountAll() = 0;

  // Full-text matches of any word of `query` among the chunks of the user's ready
  // documents, best first (ties: earlier chunk of the newer document first). Words as
  // MemoryRepository::Match splits them; a query without words matches nothing.
  virtual Result<std::vector<ChunkMatch>> MatchChunks(const std::string& user_id, const std::string& query,
                                                      std::int64_t limit) = 0;
  // The chunks named, of the user's ready documents (rank 0), in no particular order;
  // ids that are not such chunks are left out.
  virtual Result<std::vector<ChunkMatch>> ChunksById(const std::string& user_id,
                                                     const std::vector<std::string>& ids) = 0;
};

}  // namespace atrium::core::documents
