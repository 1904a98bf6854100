#include "engines/documents/plain_text.hpp"

#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/documents/document_builder.hpp"
#include "core/documents/document_errors.hpp"
#include "core/documents/utf8.hpp"

namespace atrium::engines::documents {

namespace {

using core::documents::DocumentBuilder;
using core::documents::ExtractedDocument;
using core::documents::TrimWhitespace;

constexpr std::size_t kReadBlock = 64u << 10;
constexpr std::size_t kFrontMatterLines = 100;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

struct Heading {
  int level = 0;
  std::string text;
};

std::size_t Indent(std::string_view line) {
  std::size_t i = 0;
  while (i < 3 && i < line.size() && line[i] == ' ') ++i;
  return i;
}

// `# Title`, `## Part ##`: one to six hashes after at most three spaces, then a space or
// the end of the line; a closing run of hashes after a space is not part of the text.
std::optional<Heading> AtxHeading(std::string_view line) {
  const std::size_t i = Indent(line);
  std::size_t hashes = 0;
  while (i + hashes < line.size() && line[i + hashes] == '#') ++hashes;
  if (hashes == 0 || hashes > 6) return std::nullopt;
  const std::size_t rest = i + hashes;
  if (rest < line.size() && line[rest] != ' ' && line[rest] != '\t') return std::nullopt;
  std::string_view text = TrimWhitespace(line.substr(rest));
  const std::size_t last = text.find_last_not_of('#');
  if (last == std::string_view::npos) {
    text = {};
  } else if (last + 1 < text.size() && (text[last] == ' ' || text[last] == '\t')) {
    text = TrimWhitespace(text.substr(0, last));
  }
  return Heading{static_cast<int>(hashes), std::string(text)};
}

// A line of only `c` (after at most three spaces), trailing blanks allowed.
bool Underline(std::string_view line, char c) {
  const std::string_view rest = TrimWhitespace(line);
  return !rest.empty() && line.find_first_not_of(' ') <= 3 && rest.find_first_not_of(c) == std::string_view::npos;
}

// The fence a line opens or closes (``` or ~~~, three or more), empty when none.
std::string_view Fence(std::string_view line) {
  std::string_view rest = line.substr(Indent(line));
  if (rest.empty() || (rest[0] != '`' && rest[0] != '~')) return {};
  const std::size_t n = rest.find_first_not_of(rest[0]);
  const std::size_t len = n == std::string_view::npos ? rest.size() : n;
  return len >= 3 ? rest.substr(0, len) : std::string_view{};
}

std::string Unquote(std::string_view v) {
  v = TrimWhitespace(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
  return std::string(v);
}

// Paragraphs, headings and fences, line by line.
class TextParser {
 public:
  TextParser(bool markdown, DocumentBuilder& out) : markdown_(markdown), out_(out) {}

  // False once the builder's budget is spent.
  bool Line(std::string_view line) {
    if (markdown_ && front_matter_ != FrontMatter::kDone) return FrontMatterLine(line);
    return ContentLine(line);
  }

  bool Finish() {
    if (front_matter_ == FrontMatter::kInside) ReplayFrontMatter();
    return Flush();
  }

  std::size_t paragraph_bytes() const { return paragraph_.size(); }

 private:
  enum class FrontMatter { kMaybe, kInside, kDone };

  bool FrontMatterLine(std::string_view line) {
    if (front_matter_ == FrontMatter::kMaybe) {
      front_matter_ = FrontMatter::kDone;
      if (TrimWhitespace(line) != "---") return ContentLine(line);
      front_matter_ = FrontMatter::kInside;
      return true;
    }
    const std::string_view trimmed = TrimWhitespace(line);
    if (trimmed == "---" || trimmed == "...") {
      front_matter_ = FrontMatter::kDone;
      for (const auto& l : front_lines_) {
        const std::size_t colon = l.find(':');
        if (colon == std::string::npos) continue;
        const std::string_view key = TrimWhitespace(std::string_view(l).substr(0, colon));
        std::string value = Unquote(std::string_view(l).substr(colon + 1));
        if (value.empty()) continue;
        if (key == "title") front_title_ = std::move(value);
        if (key == "author") out_.document().author = std::move(value);
      }
      front_lines_.clear();
      return true;
    }
    front_lines_.emplace_back(line);
    if (front_lines_.size() > kFrontMatterLines) return ReplayFrontMatter();
    return true;
  }

  // Not front matter after all: the lines are content, the opening `---` a rule.
  bool ReplayFrontMatter() {
    front_matter_ = FrontMatter::kDone;
    std::vector<std::string> lines = std::move(front_lines_);
    front_lines_.clear();
    for (const auto& l : lines) {
      if (!ContentLine(l)) return false;
    }
    return true;
  }

  bool ContentLine(std::string_view line) {
    if (!markdown_) {
      if (TrimWhitespace(line).empty()) return Flush();
      Append(line);
      return true;
    }
    if (const std::string_view fence = Fence(line); !fence.empty()) {
      if (!in_fence_) {
        if (!Flush()) return false;
        in_fence_ = true;
        fence_ = std::string(fence);
        Append(line);
        return true;
      }
      if (fence[0] == fence_[0] && fence.size() >= fence_.size() &&
          TrimWhitespace(line.substr(Indent(line) + fence.size())).empty()) {
        in_fence_ = false;
        Append(line);
        return Flush();
      }
    }
    if (in_fence_) {
      Append(line);
      return true;
    }
    if (TrimWhitespace(line).empty()) return Flush();
    if (auto heading = AtxHeading(line)) return AddHeading(std::move(*heading));
    if (!paragraph_.empty() && (Underline(line, '=') || Underline(line, '-'))) {
      Heading heading{Underline(line, '=') ? 1 : 2, std::string(TrimWhitespace(paragraph_))};
      paragraph_.clear();
      return AddHeading(std::move(heading));
    }
    Append(line);
    return true;
  }

  bool AddHeading(Heading heading) {
    if (!Flush()) return false;
    if (heading.text.empty()) return true;
    if (heading.level == 1 && !title_) title_ = heading.text;
    section_ = heading.text;
    return out_.Add(heading.text, 0, section_);
  }

  void Append(std::string_view line) {
    if (!paragraph_.empty()) paragraph_ += '\n';
    paragraph_ += line;
  }

  bool Flush() {
    const bool more = out_.Add(paragraph_, 0, section_);
    paragraph_.clear();
    if (!out_.document().title) out_.document().title = front_title_ ? front_title_ : title_;
    return more;
  }

  bool markdown_;
  DocumentBuilder& out_;
  FrontMatter front_matter_ = FrontMatter::kMaybe;
  std::vector<std::string> front_lines_;
  std::optional<std::string> front_title_;
  std::optional<std::string> title_;
  std::string paragraph_;
  std::string section_;
  bool in_fence_ = false;
  std::string fence_;
};

}  // namespace

core::Result<ExtractedDocument> ExtractPlainText(const std::filesystem::path& file, bool markdown,
                                                 const core::documents::ExtractLimits& limits) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return core::documents::DocumentUnreadable("cannot open " + file.string());
  DocumentBuilder builder(limits.max_chars);
  TextParser parser(markdown, builder);
  // A paragraph (or a line without end) this long is cut by the builder anyway.
  const std::size_t max_bytes = limits.max_chars * 4 + 4;
  std::string pending;
  std::vector<char> block(kReadBlock);
  bool first = true;
  bool more = true;
  std::size_t line_no = 0;
  auto line = [&](std::string_view l) -> core::Result<bool> {
    ++line_no;
    if (first) {
      first = false;
      if (l.substr(0, kUtf8Bom.size()) == kUtf8Bom) l.remove_prefix(kUtf8Bom.size());
    }
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (std::memchr(l.data(), '\0', l.size()) != nullptr || !core::documents::IsValidUtf8(l)) {
      return core::documents::InvalidDocument("not UTF-8 text at line " + std::to_string(line_no));
    }
    return parser.Line(l);
  };
  while (more && in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    pending.append(block.data(), got);
    std::size_t start = 0;
    for (std::size_t nl; more && (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      auto r = line(std::string_view(pending).substr(start, nl - start));
      if (!r) return r.error();
      more = *r && parser.paragraph_bytes() <= max_bytes;
    }
    pending.erase(0, start);
    if (more && pending.size() > max_bytes) {
      // One endless line: what fits the budget is kept, the rest is never read.
      pending.resize(core::documents::CharBoundaryAtOrBefore(pending, max_bytes));
      auto r = line(pending);
      if (!r) return r.error();
      pending.clear();
      more = false;
    }
  }
  if (in.bad()) return core::documents::DocumentUnreadable("read error on " + file.string());
  if (more && !pending.empty()) {
    auto r = line(pending);
    if (!r) return r.error();
  }
  // Flushing what is still open; past the budget the builder just refuses it.
  (void)parser.Finish();
  return std::move(builder).Finish(markdown ? "markdown" : "text");
}

}  // namespace atrium::engines::documents
