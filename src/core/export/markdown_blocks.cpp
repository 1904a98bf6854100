#include "core/export/markdown_blocks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <optional>
#include <utility>

namespace atrium::core::exports {

namespace {

struct Fence {
  char mark = '`';
  std::size_t length = 0;
};

struct Line {
  std::size_t indent = 0;  // columns, a tab advancing to the next multiple of 4
  std::string_view rest;   // after the indentation
  bool blank = false;
};

Line Split(std::string_view line) {
  Line out;
  std::size_t i = 0;
  for (; i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i) {
    out.indent = line[i] == '\t' ? (out.indent / 4 + 1) * 4 : out.indent + 1;
  }
  out.rest = line.substr(i);
  out.blank = out.rest.empty();
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A fence opening at the start of `rest`: three or more '`' or '~' (a backtick fence's
// info string has no backtick).
std::optional<Fence> FenceOpening(std::string_view rest) {
  if (rest.empty() || (rest[0] != '`' && rest[0] != '~')) return std::nullopt;
  Fence f{rest[0], 0};
  while (f.length < rest.size() && rest[f.length] == f.mark) ++f.length;
  if (f.length < 3) return std::nullopt;
  if (f.mark == '`' && rest.substr(f.length).find('`') != std::string_view::npos) return std::nullopt;
  return f;
}

bool Closes(const Fence& open, const Line& line) {
  if (line.indent > 3) return false;
  std::size_t n = 0;
  while (n < line.rest.size() && line.rest[n] == open.mark) ++n;
  if (n < open.length) return false;
  for (std::size_t i = n; i < line.rest.size(); ++i) {
    if (line.rest[i] != ' ' && line.rest[i] != '\t') return false;
  }
  return true;
}

// The end marker of an HTML block of kinds 1-5 starting at `rest` (lower-cased), and
// where in `rest` to look for it on the opening line.
std::optional<std::pair<std::string, std::size_t>> HtmlOpening(const std::string& rest) {
  static constexpr std::array<std::string_view, 4> kRaw = {"pre", "script", "style", "textarea"};
  for (const auto tag : kRaw) {
    const std::size_t n = tag.size() + 1;
    if (rest.size() >= n && rest[0] == '<' && rest.compare(1, tag.size(), tag) == 0 &&
        (rest.size() == n || rest[n] == ' ' || rest[n] == '\t' || rest[n] == '>')) {
      return std::pair{"</" + std::string(tag) + ">", n};
    }
  }
  if (rest.rfind("<!--", 0) == 0) return std::pair{std::string("-->"), std::size_t{4}};
  if (rest.rfind("<?", 0) == 0) return std::pair{std::string("?>"), std::size_t{2}};
  if (rest.rfind("<![cdata[", 0) == 0) return std::pair{std::string("]]>"), std::size_t{9}};
  if (rest.size() >= 3 && rest[0] == '<' && rest[1] == '!' && std::isalpha(static_cast<unsigned char>(rest[2]))) {
    return std::pair{std::string(">"), std::size_t{2}};
  }
  return std::nullopt;
}

bool ThematicBreak(std::string_view rest) {
  char mark = 0;
  int count = 0;
  for (const char c : rest) {
    if (c == ' ' || c == '\t') continue;
    if (c != '-' && c != '*' && c != '_') return false;
    if (mark != 0 && c != mark) return false;
    mark = c;
    ++count;
  }
  return count >= 3;
}

// The content column of a list item starting at `line`, or nullopt.
std::optional<std::size_t> ListItem(const Line& line) {
  const auto rest = line.rest;
  std::size_t marker = 0;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+' || rest[0] == '*')) {
    if (ThematicBreak(rest)) return std::nullopt;
    marker = 1;
  } else {
    while (marker < rest.size() && marker < 9 && std::isdigit(static_cast<unsigned char>(rest[marker]))) ++marker;
    if (marker == 0 || marker >= rest.size() || (rest[marker] != '.' && rest[marker] != ')')) return std::nullopt;
    ++marker;
  }
  if (marker == rest.size()) return line.indent + marker + 1;
  if (rest[marker] != ' ' && rest[marker] != '\t') return std::nullopt;
  std::size_t spaces = 0;
  while (marker + spaces < rest.size() && rest[marker + spaces] == ' ') ++spaces;
  if (marker + spaces == rest.size() || spaces > 4) spaces = 1;  // blank start or indented code within
  return line.indent + marker + spaces;
}

}  // namespace

std::string ClosingForOpenBlocks(std::string_view text) {
  std::optional<Fence> fence;
  std::optional<std::string> html_end;
  std::optional<std::size_t> list_column;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    const Line line = Split(raw);
    if (fence) {
      if (Closes(*fence, line)) fence.reset();
      continue;
    }
    if (html_end) {
      if (Lower(raw).find(*html_end) != std::string::npos) html_end.reset();
      continue;
    }
    if (line.blank) continue;
    if (list_column) {
      if (line.indent >= *list_column) continue;  // inside the item: ends with it
      list_column.reset();
    }
    if (line.indent > 3) continue;      // indented code, or a paragraph's continuation
    if (line.rest[0] == '>') continue;  // a block quote: what it opens ends with it
    if (const auto item = ListItem(line)) {
      list_column = item;
      continue;
    }
    if (const auto f = FenceOpening(line.rest)) {
      fence = f;
      continue;
    }
    const std::string lower = Lower(line.rest);
    if (const auto html = HtmlOpening(lower)) {
      if (lower.find(html->first, html->second) == std::string::npos) html_end = html->first;
    }
  }
  if (fence) return std::string(fence->length, fence->mark) + "\n";
  if (html_end) return *html_end + "\n";
  return {};
}

}  // namespace atrium::core::exports
