#include "core/media/svg_size.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace atrium::core::media {

namespace {

bool Space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// One attribute of a tag: `name="value"` (or an unquoted value, or a bare name), from
// `begin` to `end`.
struct Attribute {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string_view name;
  std::string_view value;
  std::size_t value_at = 0;  // where the value starts
};

// Walks the attributes of the tag whose name ends at `from`, calling `each` for every one
// (stop by returning true); returns the index of the tag's closing '>' or npos. Root
// finding and attribute lookup share this walk, so text inside a quoted value is never
// taken for an attribute or for the tag's end, and removing a whole attribute keeps every
// other one where it was.
template <typename Each>
std::size_t WalkTag(std::string_view text, std::size_t from, Each&& each) {
  std::size_t i = from;
  while (i < text.size()) {
    while (i < text.size() && Space(text[i])) ++i;
    if (i >= text.size()) return std::string_view::npos;
    if (text[i] == '>') return i;
    const std::size_t begin = i;
    while (i < text.size() && !Space(text[i]) && text[i] != '=' && text[i] != '>') ++i;
    Attribute a{begin, i, text.substr(begin, i - begin), {}, i};
    std::size_t j = i;
    while (j < text.size() && Space(text[j])) ++j;
    if (j < text.size() && text[j] == '=') {
      ++j;
      while (j < text.size() && Space(text[j])) ++j;
      if (j < text.size() && (text[j] == '"' || text[j] == '\'')) {
        const std::size_t close = text.find(text[j], j + 1);
        if (close == std::string_view::npos) return std::string_view::npos;
        a.value = text.substr(j + 1, close - j - 1);
        a.value_at = j + 1;
        i = close + 1;
      } else {
        const std::size_t start = j;
        while (j < text.size() && !Space(text[j]) && text[j] != '>') ++j;
        a.value = text.substr(start, j - start);
        a.value_at = start;
        i = j;
      }
      a.end = i;
    }
    if (i == begin) ++i;  // nothing consumed ('=' alone): move on
    if (each(a)) return i;
  }
  return std::string_view::npos;
}

struct RootTag {
  std::size_t begin = 0;  // '<' of "<svg"
  std::size_t end = 0;    // index of its closing '>'
};

std::optional<RootTag> FindRoot(std::string_view svg) {
  std::size_t at = 0;
  for (;;) {
    at = svg.find("<svg", at);
    if (at == std::string_view::npos) return std::nullopt;
    const char next = at + 4 < svg.size() ? svg[at + 4] : '\0';
    if (Space(next) || next == '>' || next == '/') break;
    at += 4;
  }
  const std::size_t end = WalkTag(svg, at + 4, [](const Attribute&) { return false; });
  if (end == std::string_view::npos) return std::nullopt;
  return RootTag{at, end};
}

// The attribute `name` of the tag text (starting "<svg"), or nullopt.
std::optional<Attribute> FindAttribute(std::string_view tag, std::string_view name) {
  std::optional<Attribute> found;
  const std::string closed = std::string(tag) + ">";
  WalkTag(closed, 4, [&](const Attribute& a) {
    if (a.name != name) return false;
    found = a;
    return true;
  });
  if (found) {  // views into `closed`: re-point them at `tag`
    found->name = tag.substr(found->begin, found->name.size());
    found->value = tag.substr(std::min(found->value_at, tag.size()), found->value.size());
  }
  return found;
}

std::optional<double> Length(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  std::string text(v);
  char* end = nullptr;
  const double n = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(n) || n <= 0) return std::nullopt;
  const std::string_view unit(end);
  if (unit.empty() || unit == "px") return n;
  if (unit == "pt") return n * 4.0 / 3.0;
  if (unit == "ex") return n * 8.0;
  if (unit == "em") return n * 16.0;
  if (unit == "in") return n * 96.0;
  if (unit == "cm") return n * 96.0 / 2.54;
  if (unit == "mm") return n * 96.0 / 25.4;
  return std::nullopt;  // % and the rest: no absolute size
}

std::optional<SvgSize> ViewBoxSize(std::string_view v) {
  double parts[4];
  int n = 0;
  std::string text(v);
  const char* p = text.c_str();
  while (n < 4) {
    while (*p == ' ' || *p == ',') ++p;
    char* end = nullptr;
    const double x = std::strtod(p, &end);
    if (end == p) break;
    parts[n++] = x;
    p = end;
  }
  if (n != 4 || !(parts[2] > 0) || !(parts[3] > 0) || !std::isfinite(parts[2]) || !std::isfinite(parts[3])) {
    return std::nullopt;
  }
  return SvgSize{parts[2], parts[3]};
}

}  // namespace

std::optional<SvgSize> ReadSvgSize(std::string_view svg) {
  const auto root = FindRoot(svg);
  if (!root) return std::nullopt;
  const std::string_view tag = svg.substr(root->begin, root->end - root->begin);
  const auto w = FindAttribute(tag, "width");
  const auto h = FindAttribute(tag, "height");
  if (w && h) {
    const auto wl = Length(w->value), hl = Length(h->value);
    if (wl && hl) return SvgSize{*wl, *hl};
  }
  if (const auto vb = FindAttribute(tag, "viewBox")) return ViewBoxSize(vb->value);
  return std::nullopt;
}

std::string ResizeSvg(std::string_view svg, int width, int height) {
  const auto root = FindRoot(svg);
  if (!root) return std::string(svg);
  std::string tag(svg.substr(root->begin, root->end - root->begin));
  const auto size = ReadSvgSize(svg);
  // Remove width, height and style's max-width (Mermaid's), then write ours.
  for (const std::string_view name : {"width", "height"}) {
    while (const auto a = FindAttribute(tag, name)) tag.erase(a->begin, a->end - a->begin);
  }
  std::string added;
  if (!FindAttribute(tag, "viewBox") && size) {
    added += " viewBox=\"0 0 " + std::to_string(size->width) + " " + std::to_string(size->height) + "\"";
  }
  added += " width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) + "\"";
  // First after "<svg": whatever follows (even malformed) cannot hide them.
  tag.insert(4, added);
  std::string out(svg.substr(0, root->begin));
  out += tag;
  out += svg.substr(root->end);
  return out;
}

}  // namespace atrium::core::media
