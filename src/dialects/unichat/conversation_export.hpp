#pragma once
// GET /api/conversations/:id/export: one conversation as a JSON or Markdown download,
// and the Content-Disposition that names the file after its title.

#include <string>
#include <string_view>
#include <vector>

#include "core/chat/conversation.hpp"

namespace atrium::dialects::unichat {

enum class ExportFormat { kJson, kMarkdown };

struct ExportFile {
  std::string body;
  std::string content_type;  // with its charset
  std::string disposition;   // the Content-Disposition value
};

// `date` is the export's day (YYYY-MM-DD, in the file name), `exported_at` its time.
// Without `metadata`: JSON messages lose `metadata` and the conversation its `stats`;
// Markdown keeps only the title, the roles and the text.
ExportFile ExportConversation(const core::chat::Conversation& conversation,
                              const std::vector<core::chat::Message>& messages, ExportFormat format, bool metadata,
                              std::string_view date, std::string_view exported_at);

// `attachment; filename="conversation_<title>_<date>.<extension>"`. The quoted name is
// ASCII: letters, digits, '-', '_' and '.' stay, every other character (a quote, a
// space, a non-ASCII letter) becomes '_' (runs of them one), at most 50 bytes of title,
// "untitled" when nothing is left. A title with other characters worth keeping (non-
// ASCII letters) also gets RFC 6266's `filename*=UTF-8''<percent-encoded name>` that
// keeps them (control and bidirectional-override characters are still replaced).
std::string AttachmentDisposition(std::string_view title, std::string_view date, std::string_view extension);

}  // namespace atrium::dialects::unichat
