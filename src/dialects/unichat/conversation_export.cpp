#include "dialects/unichat/conversation_export.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>

#include "dialects/unichat/chat_json.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::chat::Conversation;
using core::chat::Message;

constexpr std::size_t kMaxTitleChars = 50;

// The code point at `text[i]` and its length in bytes; an invalid sequence is one
// byte of U+FFFD.
std::pair<char32_t, std::size_t> DecodeAt(std::string_view text, std::size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  if (b < 0x80) return {b, 1};
  std::size_t len = 0;
  char32_t cp = 0;
  if ((b & 0xE0) == 0xC0) {
    len = 2;
    cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    len = 3;
    cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    len = 4;
    cp = b & 0x07;
  } else {
    return {0xFFFD, 1};
  }
  if (i + len > text.size()) return {0xFFFD, 1};
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if ((c & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (c & 0x3F);
  }
  return {cp, len};
}

bool AsciiKept(char32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '-' || cp == '_' ||
         cp == '.';
}

// Non-ASCII characters a file name may keep: not C1 controls, zero-width or
// bidirectional controls, byte-order marks or replacement characters.
bool UnicodeKept(char32_t cp) {
  if (cp < 0xA0) return false;
  if (cp >= 0x200B && cp <= 0x200F) return false;
  if (cp >= 0x2028 && cp <= 0x202E) return false;
  if (cp >= 0x2060 && cp <= 0x206F) return false;
  if (cp == 0xFEFF || cp == 0xFFFD) return false;
  return true;
}

// The title as a file name part: kept characters stay, runs of others become one '_',
// '_' and '.' are trimmed at both ends; "untitled" when empty.
std::string SafeTitle(std::string_view title, bool keep_unicode) {
  std::string out;
  std::size_t chars = 0;
  bool gap = false;
  for (std::size_t i = 0; i < title.size() && chars < kMaxTitleChars;) {
    const auto [cp, len] = DecodeAt(title, i);
    const bool kept = AsciiKept(cp) || (keep_unicode && UnicodeKept(cp));
    if (kept) {
      if (gap && !out.empty()) {
        out += '_';
        ++chars;
      }
      gap = false;
      if (chars < kMaxTitleChars) {
        out.append(title.substr(i, len));
        ++chars;
      }
    } else {
      gap = true;
    }
    i += len;
  }
  while (!out.empty() && (out.back() == '_' || out.back() == '.')) out.pop_back();
  std::size_t start = 0;
  while (start < out.size() && (out[start] == '_' || out[start] == '.')) ++start;
  out.erase(0, start);
  return out.empty() ? "untitled" : out;
}

// RFC 5987 attr-char stays, every other byte is %XX.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool attr = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                      std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
    if (attr) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0F];
    }
  }
  return out;
}

std::string Capitalized(std::string role) {
  if (!role.empty() && role[0] >= 'a' && role[0] <= 'z') role[0] = static_cast<char>(role[0] - 'a' + 'A');
  return role;
}

std::string MarkdownOf(const Conversation& c, const std::vector<Message>& messages, bool metadata,
                       std::string_view exported_at) {
  std::string heading = c.title;
  std::replace_if(
      heading.begin(), heading.end(), [](char ch) { return ch == '\n' || ch == '\r'; }, ' ');
  std::string md = "# " + heading + "\n\n";
  if (metadata) {
    md += "- Created: " + c.created_at + "\n";
    md += "- Messages: " + std::to_string(c.message_count) + "\n";
    if (!c.model.empty()) md += "- Model: " + c.model + "\n";
    md += "- Tokens: " + std::to_string(c.stats.total_tokens) + " (input " + std::to_string(c.stats.prompt_tokens) +
          ", output " + std::to_string(c.stats.completion_tokens) + ")\n";
    md += "- Exported: " + std::string(exported_at) + "\n\n";
  }
  md += "---\n";
  for (const auto& m : messages) {
    md += "\n## " + Capitalized(m.role) + "\n\n";
    if (metadata) md += "*" + m.created_at + "*\n\n";
    md += m.content + "\n";
    if (metadata && m.generation) {
      const auto& g = *m.generation;
      md += "\n*" + g.model + " · " + std::to_string(g.total_tokens) + " tokens · " + std::to_string(g.generation_ms) +
            " ms*\n";
    }
  }
  return md;
}

std::string JsonOf(const Conversation& c, const std::vector<Message>& messages, bool metadata,
                   std::string_view exported_at) {
  json::object conversation = ConversationJson(c);
  if (!metadata) conversation.erase("stats");
  json::array list;
  for (const auto& m : messages) {
    json::object o = MessageJson(m);
    if (!metadata) o.erase("metadata");
    list.emplace_back(std::move(o));
  }
  return json::serialize(json::object{
      {"conversation", std::move(conversation)}, {"messages", std::move(list)}, {"exported_at", exported_at}});
}

}  // namespace

std::string AttachmentDisposition(std::string_view title, std::string_view date, std::string_view extension) {
  const std::string suffix = "_" + std::string(date) + "." + std::string(extension);
  const std::string ascii = "conversation_" + SafeTitle(title, false) + suffix;
  const std::string unicode = "conversation_" + SafeTitle(title, true) + suffix;
  std::string out = "attachment; filename=\"" + ascii + "\"";
  if (unicode != ascii) out += "; filename*=UTF-8''" + PercentEncode(unicode);
  return out;
}

ExportFile ExportConversation(const Conversation& conversation, const std::vector<Message>& messages,
                              ExportFormat format, bool metadata, std::string_view date, std::string_view exported_at) {
  if (format == ExportFormat::kJson) {
    return {JsonOf(conversation, messages, metadata, exported_at), "application/json; charset=utf-8",
            AttachmentDisposition(conversation.title, date, "json")};
  }
  return {MarkdownOf(conversation, messages, metadata, exported_at), "text/markdown; charset=utf-8",
          AttachmentDisposition(conversation.title, date, "md")};
}

}  // namespace atrium::dialects::unichat
