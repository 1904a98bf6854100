// Document management (second-brain-api.md, "Document Management"): upload, list,
// details with chunks, delete and reindex through the core's DocumentService,
// owner-scoped (another user's document is 404). The upload's body is spooled to disk
// by the transport as it arrives (never held whole in memory; past the limit, 413
// before the rest is read); the file part is copied from that spool file into the blob
// store, checked by its bytes, and processed by a background job (202). Uploads count
// against the spec's File Uploads limit (10 per hour), the rest against Memory
// Operations' neighbour, the general limit.

#include <boost/json.hpp>

#include "core/documents/document_service.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/paging.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "http/json_body.hpp"
#include "http/multipart_file.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
using core::documents::Document;
using core::documents::DocumentStatus;
using core::identity::Principal;

// The spec's 100 MB file, plus room for the form's framing and metadata field.
constexpr std::uint64_t kMaxUploadBody = (100ull << 20) + (1ull << 20);

json::value Text(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

json::object DocumentJson(const Document& d) {
  json::array tags;
  for (const auto& t : d.metadata.tags) tags.emplace_back(t);
  json::object metadata{{"title", Text(d.metadata.title)},
                        {"author", Text(d.metadata.author)},
                        {"pageCount", d.page_count ? json::value(*d.page_count) : json::value(nullptr)},
                        {"language", Text(d.language)},
                        {"tags", std::move(tags)}};
  json::object out{{"id", d.id},
                   {"filename", d.filename},
                   {"originalName", d.original_name},
                   {"mimeType", core::documents::DocumentFormatMime(d.format)},
                   {"size", d.size},
                   {"status", core::documents::StatusName(d.status)},
                   {"uploadedAt", SpecTimestamp(d.uploaded_at)},
                   {"processedAt", d.processed_at ? json::value(SpecTimestamp(*d.processed_at)) : json::value(nullptr)},
                   {"chunkCount", d.chunk_count},
                   {"metadata", std::move(metadata)}};
  if (d.status == DocumentStatus::kFailed) out["error"] = d.failure.value_or("Processing failed");
  return out;
}

// The optional `metadata` field: a JSON object with title, author (strings) and tags
// (strings).
http::Result<core::documents::DocumentMetadata> MetadataField(std::optional<std::string_view> text) {
  core::documents::DocumentMetadata m;
  if (!text || text->empty()) return m;
  boost::system::error_code ec;
  const json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) return FieldError("metadata", "metadata must be a JSON object");
  const auto& o = v.as_object();
  for (const auto* key : {"title", "author"}) {
    const auto* f = o.if_contains(key);
    if (f == nullptr || f->is_null()) continue;
    if (!f->is_string()) return FieldError(std::string("metadata.") + key, std::string(key) + " must be a string", *f);
    (std::string_view(key) == "title" ? m.title : m.author) = std::string(f->as_string());
  }
  if (const auto* tags = o.if_contains("tags"); tags != nullptr && !tags->is_null()) {
    if (!tags->is_array()) return FieldError("metadata.tags", "tags must be an array of strings");
    for (const auto& t : tags->as_array()) {
      if (!t.is_string()) return FieldError("metadata.tags", "tags must be an array of strings");
      m.tags.emplace_back(t.as_string());
    }
  }
  return m;
}

http::Result<std::optional<DocumentStatus>> StatusParam(const http::Request& req) {
  auto s = req.QueryParam("status");
  if (!s || s->empty()) return std::optional<DocumentStatus>{};
  auto status = core::documents::StatusFromName(*s);
  if (!status) return FieldError("status", "status must be one of: processing, ready, failed", json::value(*s));
  return std::optional<DocumentStatus>{*status};
}

core::documents::DocumentSortField SortField(std::string_view by) {
  using F = core::documents::DocumentSortField;
  if (by == "processedAt") return F::kProcessedAt;
  if (by == "size") return F::kSize;
  if (by == "originalName" || by == "filename") return F::kName;
  return F::kUploadedAt;
}

}  // namespace

void AddDocumentRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();

  http::RouteOptions upload;
  upload.body_to_file = true;
  upload.body_limit = static_cast<std::size_t>(kMaxUploadBody);
  AddApi(site, http::Method::kPost, "/upload",
         ctx.Authed(ctx.rules().upload,
                    [&services](http::Request& req, const Principal& who) -> http::Reply {
                      auto form = http::ScanMultipartRequest(req);
                      if (!form) return std::move(form).error();
                      const auto* file = http::FindFilePart(*form, "file");
                      if (file == nullptr || !file->filename) {
                        return FieldError("file", "file is required (a PDF, DOCX, TXT or MD file)");
                      }
                      auto metadata = MetadataField(http::FindField(*form, "metadata"));
                      if (!metadata) return std::move(metadata).error();
                      if (req.body_file.empty())
                        return FieldError("file", "file is required (a PDF, DOCX, TXT or MD file)");
                      const std::filesystem::path source(req.body_file);
                      auto stored = services.documents.Upload(
                          who.user_id, {source, file->offset, file->length, *file->filename}, std::move(*metadata));
                      if (!stored) return ToApiError(stored.error());
                      return http::JsonReply(
                          202, {{"document", DocumentJson(*stored)},
                                {"message", "Document uploaded successfully. Processing in background."}});
                    }),
         upload);

  const auto& rule = ctx.rules().general;
  AddApi(site, http::Method::kGet, "/documents",
         ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto paging = ReadPaging(req);
           if (!paging) return std::move(paging).error();
           auto sorting =
               ReadSorting(req, {"uploadedAt", "processedAt", "size", "originalName", "filename"}, "uploadedAt");
           if (!sorting) return std::move(sorting).error();
           auto status = StatusParam(req);
           if (!status) return std::move(status).error();
           core::documents::DocumentListQuery q;
           q.status = *status;
           q.sort = SortField(sorting->by);
           q.descending = !sorting->ascending;
           q.limit = paging->limit;
           q.offset = paging->offset();
           auto page = services.documents.List(who.user_id, q);
           if (!page) return ToApiError(page.error());
           json::array list;
           for (const auto& d : page->items) list.push_back(DocumentJson(d));
           return http::JsonReply(
               200, {{"documents", std::move(list)}, {"pagination", PaginationJson(page->total, *paging)}});
         }));

  AddApi(site, http::Method::kGet, "/document/:id",
         ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto details = services.documents.Get(who.user_id, std::string(req.Param("id").value_or("")));
           if (!details) return ToApiError(details.error());
           json::array chunks;
           for (const auto& c : details->chunks) {
             chunks.push_back(
                 json::object{{"id", c.id},
                              {"content", c.content},
                              {"chunkIndex", c.index},
                              {"metadata",
                               {{"page", c.page > 0 ? json::value(c.page) : json::value(nullptr)},
                                {"section", c.section.empty() ? json::value(nullptr) : json::value(c.section)}}}});
           }
           return http::JsonReply(200, {{"document", DocumentJson(details->document)}, {"chunks", std::move(chunks)}});
         }));

  AddApi(site, http::Method::kDelete, "/document/:id",
         ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto deleted = services.documents.Delete(who.user_id, std::string(req.Param("id").value_or("")));
           if (!deleted) return ToApiError(deleted.error());
           return http::JsonReply(200, {{"message", "Document deleted successfully"},
                                        {"deletedId", deleted->id},
                                        {"chunksDeleted", deleted->chunks_deleted}});
         }));

  AddApi(site, http::Method::kPost, "/document/:id/reindex",
         ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto doc = services.documents.Reindex(who.user_id, std::string(req.Param("id").value_or("")));
           if (!doc) return ToApiError(doc.error());
           return http::JsonReply(202, {{"message", "Document reindexing started"},
                                        {"documentId", doc->id},
                                        {"status", core::documents::StatusName(doc->status)}});
         }));
}

}  // namespace atrium::dialects::secondbrain
