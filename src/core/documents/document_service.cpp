#include "core/documents/document_service.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "core/blobs/blob_store.hpp"
#include "core/clock.hpp"
#include "core/documents/document_format.hpp"
#include "core/documents/text_extractor.hpp"
#include "core/jobs/job_queue.hpp"
#include "core/random.hpp"

namespace atrium::core::documents {

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxName = 255;
constexpr std::size_t kMaxTitle = 300;
constexpr std::size_t kMaxTags = 20;
constexpr std::size_t kMaxTag = 50;
constexpr std::size_t kMaxStem = 80;

Error Invalid(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }
Error NotFound() { return Error(ErrorCode::kNotFound, "Document not found").WithReason(Reason::kDocumentNotFound); }

std::string Trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// The last path component of what the client sent (browsers on Windows once sent "C:\...").
std::string BaseName(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  return Trim(name);
}

Result<std::optional<std::string>> CleanText(const std::optional<std::string>& text, std::string_view field) {
  if (!text) return std::optional<std::string>{};
  std::string t = Trim(*text);
  if (t.empty()) return std::optional<std::string>{};
  if (HasControl(t)) return Invalid(std::string(field) + " must not contain control characters");
  if (t.size() > kMaxTitle) return Invalid(std::string(field) + " must be at most 300 bytes");
  return std::optional<std::string>{std::move(t)};
}

Result<DocumentMetadata> CleanMetadata(DocumentMetadata m) {
  DocumentMetadata out;
  auto title = CleanText(m.title, "metadata.title");
  if (!title) return title.error();
  auto author = CleanText(m.author, "metadata.author");
  if (!author) return author.error();
  out.title = std::move(*title);
  out.author = std::move(*author);
  for (const auto& raw : m.tags) {
    std::string tag = Trim(raw);
    if (tag.empty()) return Invalid("metadata.tags must not be empty strings");
    if (HasControl(tag)) return Invalid("metadata.tags must not contain control characters");
    if (tag.size() > kMaxTag) return Invalid("a tag must be at most 50 bytes");
    if (std::find(out.tags.begin(), out.tags.end(), tag) == out.tags.end()) out.tags.push_back(std::move(tag));
  }
  if (out.tags.size() > kMaxTags) return Invalid("metadata.tags holds at most 20 tags");
  return out;
}

std::string_view Extension(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::kPdf:
      return ".pdf";
    case DocumentFormat::kDocx:
      return ".docx";
    case DocumentFormat::kText:
      return ".txt";
    case DocumentFormat::kMarkdown:
      return ".md";
  }
  return ".bin";
}

}  // namespace

std::string StoredFileName(std::string_view original_name, std::string_view uploaded_at, DocumentFormat format) {
  std::string_view stem = original_name;
  if (const auto dot = stem.rfind('.'); dot != std::string_view::npos && dot > 0) stem = stem.substr(0, dot);
  std::string out;
  for (const char c : stem) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    if (alnum) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
    if (out.size() >= kMaxStem) break;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) out = "document";
  std::string date;
  for (const char c : uploaded_at.substr(0, 10)) {
    if (c >= '0' && c <= '9') date += c;
  }
  return out + "_" + date + std::string(Extension(format));
}

std::string EncodeProcessRequest(const ProcessRequest& r) {
  return json::serialize(
      json::object{{"user_id", r.user_id}, {"document_id", r.document_id}, {"revision", r.revision}});
}

std::optional<ProcessRequest> DecodeProcessRequest(std::string_view payload) {
  boost::system::error_code ec;
  const json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  const auto* user = o.if_contains("user_id");
  const auto* doc = o.if_contains("document_id");
  const auto* rev = o.if_contains("revision");
  if (user == nullptr || !user->is_string() || doc == nullptr || !doc->is_string() || rev == nullptr ||
      !rev->is_int64()) {
    return std::nullopt;
  }
  return ProcessRequest{std::string(user->as_string()), std::string(doc->as_string()), rev->as_int64()};
}

DocumentService::DocumentService(DocumentRepository& repo, blobs::BlobStore& blobs, const TextExtractor& extractor,
                                 jobs::JobQueue& jobs, const Clock& clock, Random& random, DocumentOptions options)
    : repo_(repo),
      blobs_(blobs),
      extractor_(extractor),
      jobs_(jobs),
      clock_(clock),
      random_(random),
      options_(options) {}

Result<void> DocumentService::Queue(const Document& d) {
  jobs::EnqueueOptions options;
  options.owner = d.user_id;
  options.dedupe_key = std::string(kProcessJobKind) + ":" + d.id + ":" + std::to_string(d.revision);
  options.max_attempts = options_.max_attempts;
  auto queued =
      jobs_.Enqueue(std::string(kProcessJobKind), EncodeProcessRequest({d.user_id, d.id, d.revision}), options);
  if (!queued) return queued.error();
  return Ok{};
}

Result<Document> DocumentService::Upload(const std::string& user_id, const UploadedFile& file,
                                         DocumentMetadata metadata) {
  const std::string name = BaseName(file.original_name);
  if (name.empty()) return Invalid("file must have a name");
  if (name.size() > kMaxName) return Invalid("the file name must be at most 255 bytes");
  if (HasControl(name)) return Invalid("the file name must not contain control characters");
  if (file.length > options_.max_bytes) {
    return Error(ErrorCode::kInvalidArgument, "File exceeds " + std::to_string(options_.max_bytes >> 20) + "MB",
                 "upload of " + std::to_string(file.length) + " bytes")
        .WithReason(Reason::kDocumentTooLarge);
  }
  auto clean = CleanMetadata(std::move(metadata));
  if (!clean) return clean.error();

  Document d;
  d.id = NewUuid(random_);
  d.user_id = user_id;
  d.original_name = name;
  d.size = file.length;
  d.blob_key = "documents/" + user_id + "/" + d.id;
  d.uploaded_at = FormatRfc3339(clock_.Now(), 3);
  d.metadata = std::move(*clean);
  if (auto stored = blobs_.PutFile(d.blob_key, file.path, file.offset, file.length); !stored) return stored.error();
  // From here on, any refusal takes the stored file away again.
  auto refuse = [&](Error error) -> Result<Document> {
    (void)blobs_.Remove(d.blob_key);
    return error;
  };
  auto path = blobs_.LocalPath(d.blob_key);
  if (!path) return refuse(path.error());
  auto format = SniffDocumentFormat(*path, name);
  if (!format) return refuse(format.error());
  d.format = *format;
  if (auto probed = extractor_.Probe(*path, d.format); !probed) return refuse(probed.error());
  d.filename = StoredFileName(name, d.uploaded_at, d.format);
  if (auto inserted = repo_.Insert(d); !inserted) return refuse(inserted.error());
  if (auto queued = Queue(d); !queued) {
    (void)repo_.Delete(user_id, d.id);
    return refuse(queued.error());
  }
  return d;
}

Result<DocumentPage> DocumentService::List(const std::string& user_id, const DocumentListQuery& query) {
  if (query.limit < 1 || query.limit > 100) return Invalid("limit must be from 1 to 100");
  if (query.offset < 0) return Invalid("page must be 1 or more");
  return repo_.List(user_id, query);
}

Result<DocumentDetails> DocumentService::Get(const std::string& user_id, const std::string& id) {
  auto found = repo_.Get(user_id, id);
  if (!found) return found.error();
  if (!*found) return NotFound();
  auto chunks = repo_.Chunks(user_id, id);
  if (!chunks) return chunks.error();
  return DocumentDetails{std::move(**found), std::move(*chunks)};
}

Result<DeletedDocument> DocumentService::Delete(const std::string& user_id, const std::string& id) {
  auto found = repo_.Get(user_id, id);
  if (!found) return found.error();
  if (!*found) return NotFound();
  auto gone = repo_.Delete(user_id, id);
  if (!gone) return gone.error();
  if (!*gone) return NotFound();
  // The row is the truth: a file left behind by a failing store is only unused space.
  (void)blobs_.Remove((*found)->blob_key);
  return DeletedDocument{id, **gone};
}

Result<Document> DocumentService::Reindex(const std::string& user_id, const std::string& id) {
  auto revision = repo_.StartRevision(user_id, id);
  if (!revision) return revision.error();
  if (!*revision) return NotFound();
  auto found = repo_.Get(user_id, id);
  if (!found) return found.error();
  if (!*found) return NotFound();
  if (auto queued = Queue(**found); !queued) {
    // Never left "processing" with nothing to process it.
    (void)repo_.Fail(user_id, id, **revision, "Reindexing could not be started", FormatRfc3339(clock_.Now(), 3));
    return queued.error();
  }
  return std::move(**found);
}

Result<std::int64_t> DocumentService::Count(const std::string& user_id) { return repo_.Count(user_id); }
Result<std::int64_t> DocumentService::CountAll() { return repo_.CountAll(); }

}  // namespace atrium::core::documents
