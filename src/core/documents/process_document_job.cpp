#include "core/documents/process_document_job.hpp"

#include "core/blobs/blob_store.hpp"
#include "core/clock.hpp"
#include "core/documents/document_repository.hpp"
#include "core/documents/document_service.hpp"
#include "core/documents/language.hpp"
#include "core/documents/text_extractor.hpp"
#include "core/random.hpp"

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

  (void)context.Progress({2, 3, "Storing " + std::to_string(out.chunks.size()) + " chunks"});
  out.processed_at = FormatRfc3339(clock_.Now(), 3);
  auto stored = repo_.Finish(doc.user_id, doc.id, request->revision, out);
  if (!stored) return retry_or_fail(stored.error());
  if (!*stored) return std::string("superseded");
  (void)context.Progress({3, 3, "Ready"});
  return std::string("ready");
}

}  // namespace atrium::core::documents
