#include "core/documents/chunker.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "core/documents/document_builder.hpp"
#include "core/documents/utf8.hpp"

namespace atrium::core::documents {

namespace {

// Consecutive blocks of one section, joined by blank lines; `pages` maps the offset
// where each block starts to its page.
struct Run {
  std::string text;
  std::vector<std::pair<std::size_t, int>> pages;
  std::string section;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::vector<Run> JoinRuns(std::span<const DocumentBlock> blocks) {
  std::vector<Run> runs;
  for (const auto& block : blocks) {
    if (TrimWhitespace(block.text).empty()) continue;
    if (runs.empty() || runs.back().section != block.section) {
      runs.push_back({{}, {}, block.section});
    } else {
      runs.back().text += "\n\n";
    }
    Run& run = runs.back();
    run.pages.emplace_back(run.text.size(), block.page);
    run.text += block.text;
  }
  return runs;
}

int PageAt(const Run& run, std::size_t offset) {
  auto it = std::upper_bound(run.pages.begin(), run.pages.end(), offset,
                             [](std::size_t at, const auto& entry) { return at < entry.first; });
  return it == run.pages.begin() ? run.pages.front().second : std::prev(it)->second;
}

// A sentence ends at `p` when the character before it closes one: ASCII . ! ? followed
// by whitespace, or an ideographic full stop or full-width ! ? (no space needed).
bool SentenceEndsAt(std::string_view t, std::size_t p) {
  if (p == 0 || p >= t.size()) return false;
  const char before = t[p - 1];
  if ((before == '.' || before == '!' || before == '?') && IsSpace(t[p])) return true;
  if (p < 3) return false;
  const std::string_view last = t.substr(p - 3, 3);
  return last == "\xE3\x80\x82" || last == "\xEF\xBC\x81" || last == "\xEF\xBC\x9F";
}

// Where the chunk starting at `s` ends: the best break in [lo, hi] (hi is `s` plus the
// target), always > s.
std::size_t FindBreak(std::string_view t, std::size_t s, std::size_t lo, std::size_t hi) {
  if (std::size_t p = t.rfind("\n\n", hi); p != std::string_view::npos && p >= lo && p > s) return p;
  for (std::size_t p = hi; p >= lo && p > s; --p) {
    if (SentenceEndsAt(t, p)) return p;
  }
  for (std::size_t p = hi; p > s; --p) {
    if (IsSpace(t[p])) return p;
  }
  return hi;
}

// The next chunk's start: `overlap` characters before `end`, moved forward to a word's
// start, and past `start`; `end` itself when that is not possible.
std::size_t NextStart(std::string_view t, std::size_t start, std::size_t end, std::size_t overlap) {
  if (overlap == 0) return end;
  std::size_t next = RetreatChars(t, end, overlap);
  if (next > 0 && !IsSpace(t[next - 1])) {
    std::size_t p = next;
    while (p < end && !IsSpace(t[p])) ++p;
    // Text without spaces (CJK) keeps the cut between characters.
    if (p < end) next = p;
  }
  while (next < end && IsSpace(t[next])) ++next;
  return next > start && next < end ? next : end;
}

void SplitRun(const Run& run, const ChunkOptions& options, std::vector<Chunk>& out) {
  const std::string_view t(run.text);
  std::size_t s = 0;
  while (s < t.size()) {
    while (s < t.size() && IsSpace(t[s])) ++s;
    if (s >= t.size()) break;
    const std::size_t hi = AdvanceChars(t, s, options.target_chars);
    const std::size_t end =
        hi >= t.size() ? t.size() : FindBreak(t, s, AdvanceChars(t, s, (options.target_chars + 1) / 2), hi);
    const std::string_view text = TrimWhitespace(t.substr(s, end - s));
    if (!text.empty()) {
      out.push_back({static_cast<int>(out.size()), std::string(text), PageAt(run, s), run.section});
    }
    if (end >= t.size()) break;
    s = NextStart(t, s, end, options.overlap_chars);
  }
}

}  // namespace

std::vector<Chunk> ChunkDocument(std::span<const DocumentBlock> blocks, const ChunkOptions& options) {
  ChunkOptions o = options;
  o.target_chars = std::max<std::size_t>(o.target_chars, 1);
  o.overlap_chars = std::min(o.overlap_chars, o.target_chars / 2);
  std::vector<Chunk> chunks;
  for (const Run& run : JoinRuns(blocks)) SplitRun(run, o, chunks);
  return chunks;
}

}  // namespace atrium::core::documents
