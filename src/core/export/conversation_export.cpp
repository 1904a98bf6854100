#include "core/export/conversation_export.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>

#include "core/export/markdown_blocks.hpp"
#include "core/export/pdf_renderer.hpp"

namespace atrium::core::exports {

namespace {

namespace json = boost::json;
using chat::Message;

// Line breaks (CR LF, CR, LF) as spaces, for text that must stay on one line.
std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' || text[i] == '\n') {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

// CR LF and lone CR as LF: one line ending for the block scan and the file.
std::string UnixLines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += '\n';
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The title as an ATX heading's text: one line, and a trailing run of '#' escaped so it
// is not read as the heading's optional closing sequence.
std::string HeadingText(std::string_view title) {
  std::string text(Trimmed(OneLine(title)));
  if (text.empty()) return "Untitled conversation";
  std::size_t run = text.size();
  while (run > 0 && text[run - 1] == '#') --run;
  if (run < text.size() && (run == 0 || text[run - 1] == ' ' || text[run - 1] == '\t')) text.insert(run, "\\");
  return text;
}

json::object MessageJson(const Message& m) {
  json::object metadata;
  if (m.generation) {
    metadata["tokensUsed"] = m.generation->total_tokens;
    metadata["inferenceTime"] = m.generation->generation_ms;
    metadata["model"] = m.generation->model;
    json::array context;
    for (const auto& id : m.annotations.context_ids) context.emplace_back(id);
    metadata["retrievedContext"] = std::move(context);
  } else if (m.role == "user") {
    metadata["voiceInput"] = m.annotations.voice_input;
  }
  return json::object{{"id", m.id},
                      {"role", m.role},
                      {"content", m.content},
                      {"timestamp", m.created_at},
                      {"metadata", std::move(metadata)}};
}

}  // namespace

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "json") return ExportFormat::kJson;
  if (name == "markdown") return ExportFormat::kMarkdown;
  if (name == "pdf") return ExportFormat::kPdf;
  return std::nullopt;
}

std::string_view ExportFormatName(ExportFormat format) {
  switch (format) {
    case ExportFormat::kJson:
      return "json";
    case ExportFormat::kMarkdown:
      return "markdown";
    case ExportFormat::kPdf:
      return "pdf";
  }
  return "json";
}

std::string_view FileExtension(ExportFormat format) {
  switch (format) {
    case ExportFormat::kJson:
      return ".json";
    case ExportFormat::kMarkdown:
      return ".md";
    case ExportFormat::kPdf:
      return ".pdf";
  }
  return ".json";
}

std::string_view ContentType(ExportFormat format) {
  switch (format) {
    case ExportFormat::kJson:
      return "application/json";
    case ExportFormat::kMarkdown:
      return "text/markdown; charset=utf-8";
    case ExportFormat::kPdf:
      return "application/pdf";
  }
  return "application/json";
}

std::string RoleLabel(std::string_view role) {
  if (role.empty()) return "Message";
  std::string label(role);
  label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return label;
}

std::string RenderJson(const ExportedConversation& exported) {
  const auto& c = exported.conversation;
  json::array tags;
  for (const auto& t : c.tags) tags.emplace_back(t);
  json::object conversation{{"id", c.id}, {"title", c.title}};
  if (c.summary) {
    conversation["summary"] = *c.summary;
  } else {
    conversation["summary"] = nullptr;
  }
  conversation["tags"] = std::move(tags);
  conversation["createdAt"] = c.created_at;
  conversation["updatedAt"] = c.updated_at;
  json::array messages;
  messages.reserve(exported.messages.size());
  for (const auto& m : exported.messages) messages.emplace_back(MessageJson(m));
  return json::serialize(json::object{{"conversation", std::move(conversation)},
                                      {"messages", std::move(messages)},
                                      {"exportedAt", exported.exported_at}});
}

std::string RenderMarkdown(const ExportedConversation& exported) {
  const auto& c = exported.conversation;
  std::string md = "# " + HeadingText(c.title) + "\n\n";
  std::string meta = "Created " + OneLine(c.created_at) + " · Updated " + OneLine(c.updated_at) + " · " +
                     std::to_string(exported.messages.size()) +
                     (exported.messages.size() == 1 ? " message" : " messages");
  if (!c.tags.empty()) {
    meta += " · Tags: ";
    for (std::size_t i = 0; i < c.tags.size(); ++i) meta += (i ? ", " : "") + OneLine(c.tags[i]);
  }
  md += meta + "\n\n";
  if (c.summary && !Trimmed(*c.summary).empty()) {
    // Every line quoted: nothing in the summary reaches past the quote.
    const std::string summary = UnixLines(*c.summary);
    std::size_t start = 0;
    while (start <= summary.size()) {
      const std::size_t end = std::min(summary.find('\n', start), summary.size());
      md += "> " + summary.substr(start, end - start) + "\n";
      start = end + 1;
    }
    md += "\n";
  }
  md += "Exported " + OneLine(exported.exported_at) + "\n";
  for (const auto& m : exported.messages) {
    md += "\n---\n\n### " + RoleLabel(OneLine(m.role));
    if (!m.created_at.empty()) md += " — " + OneLine(m.created_at);
    md += "\n";
    const std::string content = UnixLines(m.content);
    if (Trimmed(content).empty()) continue;
    md += "\n" + content;
    if (content.back() != '\n') md += "\n";
    md += ClosingForOpenBlocks(content);
  }
  return md;
}

Result<std::string> RenderExport(ExportFormat format, const ExportedConversation& exported,
                                 const ConversationPdfRenderer& pdf) {
  switch (format) {
    case ExportFormat::kJson:
      return RenderJson(exported);
    case ExportFormat::kMarkdown:
      return RenderMarkdown(exported);
    case ExportFormat::kPdf:
      return pdf.Render(exported);
  }
  return RenderJson(exported);
}

}  // namespace atrium::core::exports
