// The chunker: sizes within the target, the overlap, breaks at paragraphs, sentences and
// words in that order, never inside a UTF-8 sequence, pages and sections attributed to
// where each chunk starts, and the same chunks every time.

#include "core/documents/chunker.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "core/documents/utf8.hpp"

namespace atrium::core::documents {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// Sentences of numbered words, so every word is unique: "w0 w1 ... w9." and so on.
std::string Sentences(int count, int words_per_sentence, int first = 0) {
  std::string out;
  int n = first;
  for (int s = 0; s < count; ++s) {
    for (int w = 0; w < words_per_sentence; ++w) {
      if (!out.empty()) out += ' ';
      out += "w" + std::to_string(n++);
    }
    out += '.';
  }
  return out;
}

std::vector<DocumentBlock> Blocks(std::initializer_list<DocumentBlock> blocks) { return blocks; }

void ExpectWithinTarget(const std::vector<Chunk>& chunks, std::size_t target) {
  for (const auto& c : chunks) {
    EXPECT_LE(CountChars(c.text), target) << c.text;
    EXPECT_FALSE(c.text.empty());
    EXPECT_TRUE(IsValidUtf8(c.text)) << c.index;
  }
  for (std::size_t i = 0; i < chunks.size(); ++i) EXPECT_EQ(chunks[i].index, static_cast<int>(i));
}

TEST(Chunker, NothingGivesNoChunks) {
  EXPECT_TRUE(ChunkDocument({}).empty());
  EXPECT_TRUE(ChunkDocument(Blocks({{"   \n\t ", 1, ""}})).empty());
}

TEST(Chunker, ShortDocumentIsOneChunk) {
  auto chunks = ChunkDocument(Blocks({{"First paragraph.", 3, "Intro"}, {"Second one.", 3, "Intro"}}));
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].index, 0);
  EXPECT_EQ(chunks[0].text, "First paragraph.\n\nSecond one.");
  EXPECT_EQ(chunks[0].page, 3);
  EXPECT_EQ(chunks[0].section, "Intro");
}

TEST(Chunker, SizesAndOverlap) {
  const std::string text = Sentences(80, 12);  // about 5,000 characters
  ChunkOptions options{500, 100};
  auto chunks = ChunkDocument(Blocks({{text, 0, ""}}), options);
  ASSERT_GT(chunks.size(), 8u);
  ExpectWithinTarget(chunks, 500);
  const auto all = Words(text);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto words = Words(chunks[i].text);
    for (const auto& w : words) seen.insert(w);
    // Chunks hold whole words, and stop at a sentence end (all but the last).
    for (const auto& w : words) EXPECT_NE(std::find(all.begin(), all.end(), w), all.end()) << w;
    if (i + 1 < chunks.size()) {
      EXPECT_EQ(chunks[i].text.back(), '.') << chunks[i].text;
      EXPECT_GE(CountChars(chunks[i].text), 250u);  // not before the window's second half
      // The next chunk starts inside this one's last ~100 characters, at a word.
      const std::string next_first = Words(chunks[i + 1].text).front();
      const std::size_t at = chunks[i].text.rfind(" " + next_first);
      ASSERT_NE(at, std::string::npos) << i;
      EXPECT_LE(CountChars(chunks[i].text) - CountChars(chunks[i].text.substr(0, at)), 101u);
      EXPECT_GE(CountChars(chunks[i].text) - CountChars(chunks[i].text.substr(0, at)), 60u);
    }
  }
  EXPECT_EQ(seen.size(), all.size());  // nothing lost
}

TEST(Chunker, WithoutOverlapEveryWordOnce) {
  const std::string text = Sentences(50, 9);
  auto chunks = ChunkDocument(Blocks({{text, 0, ""}}), ChunkOptions{300, 0});
  std::vector<std::string> joined;
  for (const auto& c : chunks) {
    for (auto& w : Words(c.text)) joined.push_back(w);
  }
  EXPECT_EQ(joined, Words(text));
}

TEST(Chunker, ParagraphBreakBeatsSentence) {
  const std::string a = Sentences(10, 10, 0);    // about 400 characters
  const std::string b = Sentences(10, 10, 100);  // about 500
  auto chunks = ChunkDocument(Blocks({{a, 1, ""}, {b, 2, ""}}), ChunkOptions{1000, 150});
  ASSERT_EQ(chunks.size(), 1u);  // both fit
  chunks = ChunkDocument(Blocks({{a, 1, ""}, {b, 2, ""}}), ChunkOptions{600, 150});
  ASSERT_GE(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].text, a);
  EXPECT_EQ(chunks[0].page, 1);
}

TEST(Chunker, SentenceBeatsWord) {
  const std::string text = "One two three four five six. Seven eight nine ten eleven twelve thirteen fourteen";
  auto chunks = ChunkDocument(Blocks({{text, 0, ""}}), ChunkOptions{50, 0});
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].text, "One two three four five six.");
  EXPECT_EQ(chunks[1].text, "Seven eight nine ten eleven twelve thirteen");
}

TEST(Chunker, WordsWhenNoSentenceEnds) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "word" + std::to_string(i) + " ";
  auto chunks = ChunkDocument(Blocks({{text, 0, ""}}), ChunkOptions{100, 20});
  ExpectWithinTarget(chunks, 100);
  const auto all = Words(text);
  for (const auto& c : chunks) {
    for (const auto& w : Words(c.text)) EXPECT_NE(std::find(all.begin(), all.end(), w), all.end()) << w;
  }
}

TEST(Chunker, NeverInsideAUtf8Sequence) {
  std::string word;
  for (int i = 0; i < 700; ++i) word += (i % 3 == 0) ? "é" : (i % 3 == 1) ? "東" : "🙂";
  auto chunks = ChunkDocument(Blocks({{word, 0, ""}}), ChunkOptions{100, 30});
  ExpectWithinTarget(chunks, 100);
  ASSERT_GE(chunks.size(), 7u);
  EXPECT_EQ(CountChars(chunks[0].text), 100u);  // a hard cut, between characters
  // The overlap is measured in characters too: the next chunk starts 30 before the cut.
  EXPECT_EQ(
      chunks[0].text.substr(chunks[0].text.size() - chunks[1].text.substr(0, PrefixOfChars(chunks[1].text, 30)).size()),
      chunks[1].text.substr(0, PrefixOfChars(chunks[1].text, 30)));
  EXPECT_NE(chunks[0].text.find(chunks[1].text.substr(0, 30)), std::string::npos);
}

TEST(Chunker, IdeographicFullStopIsASentenceEnd) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "東京は大きい都市です。";
  auto chunks = ChunkDocument(Blocks({{text, 0, ""}}), ChunkOptions{50, 0});
  ExpectWithinTarget(chunks, 50);
  for (std::size_t i = 0; i + 1 < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i].text.substr(chunks[i].text.size() - 3), "。");
  }
}

TEST(Chunker, PageIsWhereTheChunkStarts) {
  std::vector<DocumentBlock> blocks;
  for (int page = 1; page <= 6; ++page) blocks.push_back({Sentences(5, 10, page * 1000), page, ""});
  auto chunks = ChunkDocument(blocks, ChunkOptions{700, 100});
  ASSERT_GT(chunks.size(), 2u);
  EXPECT_EQ(chunks.front().page, 1);
  for (const auto& c : chunks) {
    // The first word's number says which page it came from.
    const std::string first = Words(c.text).front();
    const int n = std::stoi(first.substr(1));
    EXPECT_EQ(c.page, n / 1000) << c.text;
  }
  EXPECT_GT(chunks.back().page, 4);
}

TEST(Chunker, SectionsAreNeverMixed) {
  auto chunks = ChunkDocument(Blocks({{"Intro", 0, "Intro"},
                                      {"Short intro text.", 0, "Intro"},
                                      {"Details", 0, "Details"},
                                      {Sentences(20, 10), 0, "Details"},
                                      {"Preface without heading.", 0, ""}}),
                              ChunkOptions{400, 50});
  ASSERT_GE(chunks.size(), 4u);
  EXPECT_EQ(chunks[0].text, "Intro\n\nShort intro text.");
  EXPECT_EQ(chunks[0].section, "Intro");
  EXPECT_EQ(chunks[1].section, "Details");
  EXPECT_EQ(chunks[1].text.substr(0, 9), "Details\n\n");
  EXPECT_EQ(chunks.back().section, "");
  EXPECT_EQ(chunks.back().text, "Preface without heading.");
  for (const auto& c : chunks) {
    if (c.section == "Details") {
      EXPECT_EQ(c.text.find("intro"), std::string::npos);
    }
  }
}

TEST(Chunker, Deterministic) {
  std::vector<DocumentBlock> blocks;
  for (int i = 0; i < 20; ++i) blocks.push_back({Sentences(7, 8, i * 100), i / 4 + 1, i < 10 ? "A" : "B"});
  const auto a = ChunkDocument(blocks);
  const auto b = ChunkDocument(blocks);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].text, b[i].text);
    EXPECT_EQ(a[i].page, b[i].page);
    EXPECT_EQ(a[i].section, b[i].section);
  }
}

TEST(Chunker, OptionsAreMadeSane) {
  const std::string text = Sentences(10, 10);
  // An overlap as large as the target would never move on: it is capped at half.
  auto chunks = ChunkDocument(Blocks({{text, 0, ""}}), ChunkOptions{100, 500});
  ExpectWithinTarget(chunks, 100);
  EXPECT_LT(chunks.size(), 40u);
  chunks = ChunkDocument(Blocks({{"abc", 0, ""}}), ChunkOptions{0, 0});
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[2].text, "c");
}

}  // namespace
}  // namespace atrium::core::documents
