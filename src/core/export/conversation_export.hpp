#pragma once
// A conversation as a downloadable file: Second Brain's "Export Conversation" formats
// (json, markdown, pdf). JSON and Markdown are rendered here; PDF by a
// ConversationPdfRenderer (core/export/pdf_renderer.hpp) an engine implements. Pure
// functions of their input: no storage, no HTTP, no clock (the caller stamps
// `exported_at`).
//
// The namespace is `exports` because `export` is a C++ keyword.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chat/conversation.hpp"
#include "core/result.hpp"

namespace atrium::core::exports {

enum class ExportFormat { kJson, kMarkdown, kPdf };

// "json", "markdown" or "pdf" (exactly, as the spec spells them); nullopt otherwise.
std::optional<ExportFormat> ParseExportFormat(std::string_view name);
// The spec's name: the inverse of ParseExportFormat.
std::string_view ExportFormatName(ExportFormat format);
// ".json", ".md", ".pdf".
std::string_view FileExtension(ExportFormat format);
// "application/json", "text/markdown; charset=utf-8", "application/pdf".
std::string_view ContentType(ExportFormat format);

// What an export renders: one conversation and its messages in the order shown
// (oldest first), and when the export was made (RFC 3339, from the caller's Clock).
struct ExportedConversation {
  chat::Conversation conversation;
  std::vector<chat::Message> messages;
  std::string exported_at;
};

// The heading word of a message's role: "User", "Assistant", "System"; another role
// with its first letter capitalised; "Message" for an empty one.
std::string RoleLabel(std::string_view role);

// The shape of Second Brain's GET /api/conversation/:id answer, plus `exportedAt`:
//   {"conversation": {id, title, summary (null when unset), tags, createdAt, updatedAt},
//    "messages": [{id, role, content, timestamp, metadata}], "exportedAt"}
// An answer's metadata is {tokensUsed, inferenceTime (ms), model, retrievedContext}, a
// user message's {voiceInput}, any other message's {}.
std::string RenderJson(const ExportedConversation& exported);

// `# <title>`, a line of dates, message count and tags, the summary as a quote, then per
// message `### User — <timestamp>` (or Assistant, System) and its content verbatim:
// Markdown in it stays Markdown, nothing is escaped. What the content leaves open is
// closed after it so the next heading still starts a block: an unclosed code fence
// (``` or ~~~) gets its closing fence, an unclosed raw HTML block of the kinds that only
// an end marker closes (<pre>, <script>, <style>, <textarea>, comments, <?...?>, <!...>,
// CDATA) gets its end marker; blank lines separate every heading. A heading written
// inside a message is still a heading: the roles' headings are level 3, the title level 1.
std::string RenderMarkdown(const ExportedConversation& exported);

}  // namespace atrium::core::exports
