#pragma once
// The background half of an upload (kind "documents.process", queued by
// DocumentService): the stored file's text extracted, its language detected, split into
// chunks, the chunks embedded (when an embedding model is configured), and all of it
// stored at once with the document marked ready; or the document marked failed with
// the reason people see. Progress is published through the job. Chunks that could not
// be embedded (the upstream is down) are stored without vectors, and the
// "embed_missing" job is queued for them: the document is ready for full-text search.
//
// Idempotent (jobs/job_handler.hpp): the outcome is stored only while the document is
// still at the revision the job was queued for, and it replaces every chunk of that
// document in one transaction; a rerun after a crash stores the same outcome again. A
// document deleted or reindexed in the meantime makes the job succeed doing nothing.

#include <string>

#include "core/documents/chunker.hpp"
#include "core/jobs/job_handler.hpp"

namespace atrium::core {
class Clock;
class Random;
}  // namespace atrium::core
namespace atrium::core::blobs {
class BlobStore;
}
namespace atrium::core::retrieval {
class Embedder;
class EmbeddingScheduler;
}  // namespace atrium::core::retrieval

namespace atrium::core::documents {

class DocumentRepository;
class LanguageDetector;
class TextExtractor;

class ProcessDocumentJob final : public jobs::JobHandler {
 public:
  // `language` may be null (no detector built): documents then carry no language.
  ProcessDocumentJob(DocumentRepository& repo, blobs::BlobStore& blobs, const TextExtractor& extractor,
                     const LanguageDetector* language, const Clock& clock, Random& random, ChunkOptions chunking = {},
                     const retrieval::Embedder* embedder = nullptr, retrieval::EmbeddingScheduler* scheduler = nullptr)
      : repo_(repo),
        blobs_(blobs),
        extractor_(extractor),
        language_(language),
        clock_(clock),
        random_(random),
        chunking_(chunking),
        embedder_(embedder),
        scheduler_(scheduler) {}

  // Result: "ready", "failed", "deleted" or "superseded". kInvalidArgument for a payload
  // that is not a processing request; storage failures are retried, and the document is
  // marked failed when the last attempt fails.
  Result<std::string> Run(jobs::JobContext& context) override;

 private:
  DocumentRepository& repo_;
  blobs::BlobStore& blobs_;
  const TextExtractor& extractor_;
  const LanguageDetector* language_;
  const Clock& clock_;
  Random& random_;
  ChunkOptions chunking_;
  const retrieval::Embedder* embedder_;
  retrieval::EmbeddingScheduler* scheduler_;
};

}  // namespace atrium::core::documents
