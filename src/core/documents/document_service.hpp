#pragma once
// The knowledge base's documents: upload (checked, stored as a blob, processed in the
// background by the "documents.process" job), list, details with chunks, delete and
// reindex. Every call is scoped to one user: another user's document is kNotFound
// (Reason::kDocumentNotFound), never "forbidden". Blocking; call from a worker thread.
// Thread-safe.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/documents/document.hpp"
#include "core/documents/document_repository.hpp"
#include "core/result.hpp"

namespace atrium::core {
class Clock;
class Random;
}  // namespace atrium::core
namespace atrium::core::blobs {
class BlobStore;
}
namespace atrium::core::jobs {
class JobQueue;
}

namespace atrium::core::documents {

class TextExtractor;

inline constexpr std::string_view kProcessJobKind = "documents.process";

// The uploaded bytes: `length` bytes of a local file from `offset` (the part of a
// multipart body spooled to disk), never held in memory.
struct UploadedFile {
  std::filesystem::path path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::string original_name;  // as the client named it (any directory part is dropped)
};

struct DocumentOptions {
  std::uint64_t max_bytes = 100ull << 20;  // the spec's 100 MB
  int max_attempts = 3;                    // of the processing job
};

struct DocumentDetails {
  Document document;
  std::vector<StoredChunk> chunks;
};

struct DeletedDocument {
  std::string id;
  std::int64_t chunks_deleted = 0;
};

class DocumentService {
 public:
  DocumentService(DocumentRepository& repo, blobs::BlobStore& blobs, const TextExtractor& extractor,
                  jobs::JobQueue& jobs, const Clock& clock, Random& random, DocumentOptions options = {});

  // Checks the bytes (kInvalidArgument with Reason::kUnsupportedDocument for a format
  // it does not know, kInvalidDocument for a broken file, kDocumentTooLarge past
  // max_bytes; field errors for the metadata), stores the file and queues its
  // processing. The document is `processing`.
  Result<Document> Upload(const std::string& user_id, const UploadedFile& file, DocumentMetadata metadata);

  // limit 1..100, offset >= 0.
  Result<DocumentPage> List(const std::string& user_id, const DocumentListQuery& query);
  Result<DocumentDetails> Get(const std::string& user_id, const std::string& id);
  // The row, its chunks and its file.
  Result<DeletedDocument> Delete(const std::string& user_id, const std::string& id);
  // Processes the document again (a new revision); it is `processing` until then.
  Result<Document> Reindex(const std::string& user_id, const std::string& id);
  Result<std::int64_t> Count(const std::string& user_id);
  Result<std::int64_t> CountAll();

 private:
  Result<void> Queue(const Document& document);

  DocumentRepository& repo_;
  blobs::BlobStore& blobs_;
  const TextExtractor& extractor_;
  jobs::JobQueue& jobs_;
  const Clock& clock_;
  Random& random_;
  DocumentOptions options_;
};

// The name a document is stored under, from its original name and upload date
// ("Project Requirements.pdf", 2026-01-04 -> "project_requirements_20260104.pdf"): the
// stem in lower case with runs of anything but ASCII letters and digits as one '_'
// (at most 80 characters; "document" when nothing is left), the date, and the
// extension of the format.
std::string StoredFileName(std::string_view original_name, std::string_view uploaded_at, DocumentFormat format);

// The payload of a processing job, and back.
struct ProcessRequest {
  std::string user_id;
  std::string document_id;
  std::int64_t revision = 1;
};
std::string EncodeProcessRequest(const ProcessRequest& request);
std::optional<ProcessRequest> DecodeProcessRequest(std::string_view payload);

}  // namespace atrium::core::documents
