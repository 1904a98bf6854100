#include "core/documents/process_document_job.hpp"

#include "core/blobs/blob_store.hpp"
#include "core/clock.hpp"
#include "core/documents/document_repository.hpp"
#include "core/documents/document_service.hpp"
#include "core/documents/language.hpp"
#include "core/documents/text_extractor.hpp"
#include "core/random.hpp"
#include "core/retrieval/embedder.hpp"
#include "core/retrieval/embedding_jobs.hpp"

namespace atrium::core::documents {

namespace {

constexpr std::size_t kLanguageSample = 4096;

std::string Sample(const ExtractedDocument& doc) {
  std::string text;
  for (const auto& b : doc.blocks) {
    if (text.size() >= kLanguageSample) break;
    if (!text.empty()) text += '\n';
    text += b.text;
  }
  return text;
}

}  // namespace

Result<std::string> ProcessDocumentJob::Run(jobs::JobContext& context) {
  const auto request = DecodeProcessRequest(context.job().payload);
  if (!request) {
    return Error(ErrorCode::kInvalidArgument, "The job's payload is not a document processing request");
  }
  auto found = repo_.Get(request->user_id, request->document_id);
  if (!found) return found.error();
  if (!*found) return std::string("deleted");
  const Document& doc = **found;
  if (doc.revision != request->revision) return std::string("superseded");

  const bool last_attempt = context.job().attempts >= context.job().max_attempts;
  auto fail = [&](const std::string& reason) -> Result<std::string> {
    auto marked = repo_.Fail(doc.user_id, doc.id, request->revision, reason, FormatRfc3339(clock_.Now(), 3));
    if (!marked) return marked.error();
    return std::string("failed");
  };
  // A failure that is not the document's fault is retried; the last one is final.
  auto retry_or_fail = [&](const Error& error) -> Result<std::string> {
    if (last_attempt) {
      auto failed = fail("The document could not be processed");
      if (!failed) return failed.error();
    }
    return error;
  };

  (void)context.Progress({0, 3, "Extracting text"});
  auto path = blobs_.LocalPath(doc.blob_key);
  if (!path) {
    if (path.error().code() == ErrorCode::kNotFound) return fail("The uploaded file is missing");
    return retry_or_fail(path.error());
  }
  auto extracted = extractor_.Extract(*path, doc.format);
  if (!extracted) {
    if (extracted.error().code() == ErrorCode::kInvalidArgument) return fail(extracted.error().safe_message());
    return retry_or_fail(extracted.error());
  }
  if (context.stopping()) return Error(ErrorCode::kUnavailable, "Stopped before the chunks were stored");

  (void)context.Progress({1, 3, "Splitting into chunks"});
  ProcessedDocument out;
  out.page_count = extracted->page_count;
  out.title = extracted->title;
  out.author = extracted->author;
  if (language_ != nullptr) {
    std::string lang = language_->Detect(Sample(*extracted));
    if (!lang.empty()) out.language = std::move(lang);
  }
  for (auto& c : ChunkDocument(extracted->blocks, chunking_)) {
    StoredChunk chunk;
    chunk.id = NewUuid(random_);
    chunk.document_id = doc.id;
    chunk.user_id = doc.user_id;
    chunk.index = c.index;
    chunk.content = std::move(c.text);
    chunk.page = c.page;
    chunk.section = std::move(c.section);
    out.chunks.push_back(std::move(chunk));
  }
  if (context.stopping()) return Error(ErrorCode::kUnavailable, "Stopped before the chunks were stored");

  bool embed_later = false;
  if (embedder_ != nullptr && embedder_->configured() && !out.chunks.empty()) {
    constexpr std::size_t kBatch = 32;
    out.embedding_model = embedder_->model();
    for (std::size_t at = 0; at < out.chunks.size(); at += kBatch) {
      (void)context.Progress({1, 3,
                              "Embedding chunks " + std::to_string(at + 1) + " to " +
                                  std::to_string(std::min(at + kBatch, out.chunks.size())) + " of " +
                                  std::to_string(out.chunks.size())});
      std::vector<std::string> texts;
      for (std::size_t i = at; i < std::min(at + kBatch, out.chunks.size()); ++i)
        texts.push_back(out.chunks[i].content);
      auto vectors = embedder_->Embed(texts, doc.user_id);
      if (!vectors) {
        out.vectors.clear();  // all or none: the sweep embeds the rest
        embed_later = true;
        break;
      }
      for (auto& v : *vectors) out.vectors.push_back(std::move(v));
      if (context.stopping()) return Error(ErrorCode::kUnavailable, "Stopped before the chunks were stored");
    }
  }

  (void)context.Progress({2, 3, "Storing " + std::to_string(out.chunks.size()) + " chunks"});
  out.processed_at = FormatRfc3339(clock_.Now(), 3);
  auto stored = repo_.Finish(doc.user_id, doc.id, request->revision, out);
  if (!stored) return retry_or_fail(stored.error());
  if (!*stored) return std::string("superseded");
  if (embed_later && scheduler_ != nullptr) {
    scheduler_->EmbedMissing("document:" + doc.id + ":" + std::to_string(request->revision));
  }
  (void)context.Progress({3, 3, "Ready"});
  return std::string("ready");
}

}  // namespace atrium::core::documents
