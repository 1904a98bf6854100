#include "core/memory/highlight.hpp"

#include <set>

#include "core/memory/memory_repository.hpp"

namespace atrium::core::memory {

std::string MarkedToHtml(std::string_view marked) {
  std::string out;
  out.reserve(marked.size() + 32);
  bool open = false;
  for (const char c : marked) {
    switch (c) {
      case kMarkStart:
        if (!open) out += "<mark>";
        open = true;
        break;
      case kMarkEnd:
        if (open) out += "</mark>";
        open = false;
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  if (open) out += "</mark>";
  return out;
}

std::size_t MarkedTermCount(std::string_view marked) {
  std::set<std::string> terms;
  std::string term;
  bool open = false;
  for (const char c : marked) {
    if (c == kMarkStart) {
      open = true;
      term.clear();
    } else if (c == kMarkEnd) {
      if (open && !term.empty()) terms.insert(term);
      open = false;
    } else if (open) {
      term += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  return terms.size();
}

std::string StripControl(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) continue;
    out += c;
  }
  return out;
}

}  // namespace atrium::core::memory
