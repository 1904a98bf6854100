#include "core/media/svg_size.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace atrium::core::media {

namespace {

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
    if (next == ' ' || next == '\n' || next == '\t' || next == '\r' || next == '>' || next == '/') break;
    at += 4;
  }
  char quote = 0;
  for (std::size_t i = at + 4; i < svg.size(); ++i) {
    const char c = svg[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return RootTag{at, i};
    }
  }
  return std::nullopt;
}

// The value of attribute `name` inside the tag text, with where it starts and ends
// (the whole `name="value"`), or nullopt.
struct Attribute {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the closing quote
  std::string_view value;
};

bool Space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Walks the tag's attributes in order (name, '=', a quoted value), so text inside
// another attribute's value is never taken for an attribute.
std::optional<Attribute> FindAttribute(std::string_view tag, std::string_view name) {
  std::size_t i = 4;  // past "<svg"
  while (i < tag.size()) {
    while (i < tag.size() && Space(tag[i])) ++i;
    const std::size_t begin = i;
    while (i < tag.size() && !Space(tag[i]) && tag[i] != '=' && tag[i] != '>' && tag[i] != '/') ++i;
    if (i == begin) {
      ++i;  // a stray character ('/', '>'): skip it
      continue;
    }
    const std::string_view attr = tag.substr(begin, i - begin);
    std::size_t j = i;
    while (j < tag.size() && Space(tag[j])) ++j;
    if (j >= tag.size() || tag[j] != '=') continue;  // a name without a value
    ++j;
    while (j < tag.size() && Space(tag[j])) ++j;
    if (j >= tag.size()) return std::nullopt;
    if (tag[j] != '"' && tag[j] != '\'') {  // unquoted (not XML, but read past it)
      i = j;
      while (i < tag.size() && !Space(tag[i]) && tag[i] != '>') ++i;
      continue;
    }
    const char quote = tag[j];
    const std::size_t close = tag.find(quote, j + 1);
    if (close == std::string_view::npos) return std::nullopt;
    if (attr == name) return Attribute{begin, close + 1, tag.substr(j + 1, close - j - 1)};
    i = close + 1;
  }
  return std::nullopt;
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
  if (n != 4 || !(parts[2] > 0) || !(parts[3] > 0)) return std::nullopt;
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
  // Before a self-closing slash: <svg ... />.
  tag.insert(!tag.empty() && tag.back() == '/' ? tag.size() - 1 : tag.size(), added);
  std::string out(svg.substr(0, root->begin));
  out += tag;
  out += svg.substr(root->end);
  return out;
}

}  // namespace atrium::core::media
