#include "core/export/export_service.hpp"

namespace atrium::core::exports {

namespace {

Error LinkNotFound() {
  return Error(ErrorCode::kNotFound, "Export not found or its link has expired").WithReason(Reason::kExportNotFound);
}

Error PdfUnavailable() {
  return Error(ErrorCode::kUnavailable, "PDF export is not available on this server").WithReason(Reason::kNotConfigured);
}

// What renders PDFs on a server without a PDF engine.
class NoPdf final : public ConversationPdfRenderer {
 public:
  Result<std::string> Render(const ExportedConversation&) const override { return PdfUnavailable(); }
};

const NoPdf kNoPdf;

std::string Subject(const std::string& user_id, const std::string& file_name) { return user_id + "\n" + file_name; }

// The conversation id and format a file name names; nullopt for anything else.
std::optional<std::pair<std::string, ExportFormat>> ParseFileName(const std::string& name) {
  for (const auto format : {ExportFormat::kJson, ExportFormat::kMarkdown, ExportFormat::kPdf}) {
    const std::string_view ext = FileExtension(format);
    if (name.size() > ext.size() && name.ends_with(ext)) return std::pair{name.substr(0, name.size() - ext.size()), format};
  }
  return std::nullopt;
}

}  // namespace

ExportService::ExportService(chat::ConversationStore& conversations, const ConversationPdfRenderer* pdf,
                             const identity::LinkSigner& signer, const Clock& clock, std::chrono::seconds lifetime)
    : conversations_(conversations), pdf_(pdf != nullptr ? pdf : &kNoPdf), signer_(signer), clock_(clock),
      lifetime_(lifetime) {}

Result<ExportLink> ExportService::Create(const std::string& user_id, const std::string& conversation_id,
                                         ExportFormat format) {
  if (format == ExportFormat::kPdf && pdf_ == &kNoPdf) return PdfUnavailable();
  auto conversation = conversations_.Get(user_id, conversation_id);
  if (!conversation) return conversation.error();
  const auto expires = std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now() + lifetime_);
  ExportLink link;
  link.file_name = conversation->id + std::string(FileExtension(format));
  link.expires_unix = expires.time_since_epoch().count();
  link.signature = signer_.Sign(Subject(user_id, link.file_name), link.expires_unix);
  link.expires_at = FormatRfc3339(expires, 3);
  return link;
}

Result<ExportFile> ExportService::Open(const std::string& user_id, const std::string& file_name,
                                       std::int64_t expires_unix, const std::string& signature) {
  if (!signer_.Verify(Subject(user_id, file_name), expires_unix, signature)) return LinkNotFound();
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now()).time_since_epoch().count();
  if (now >= expires_unix) return LinkNotFound();
  auto named = ParseFileName(file_name);
  if (!named) return LinkNotFound();
  const auto& [conversation_id, format] = *named;
  ExportedConversation exported;
  auto conversation = conversations_.Get(user_id, conversation_id);
  if (!conversation) return conversation.error().code() == ErrorCode::kNotFound ? LinkNotFound() : conversation.error();
  exported.conversation = std::move(*conversation);
  auto messages = conversations_.Messages(user_id, conversation_id);
  if (!messages) return messages.error();
  exported.messages = std::move(*messages);
  exported.exported_at = FormatRfc3339(clock_.Now(), 3);
  auto bytes = RenderExport(format, exported, *pdf_);
  if (!bytes) return bytes.error();
  ExportFile file;
  file.bytes = std::move(*bytes);
  file.content_type = std::string(ContentType(format));
  file.file_name = file_name;
  return file;
}

}  // namespace atrium::core::exports
