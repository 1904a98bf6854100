// The PDF export on Cairo and Pango, read back with poppler's pdfinfo and pdftotext
// (poppler-utils, from scripts/install-deps --test; a missing tool fails the tests):
// every message's text is in the document, in every script, across pages, and wrapped
// without losing a character of a word longer than a line.

#include "engines/export/cairo_pdf_renderer.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/temp_dir.hpp"

namespace atrium::engines::exports {
namespace {

using core::chat::Message;
using core::exports::ExportedConversation;

struct Output {
  int status = -1;
  std::string text;
};

Output Shell(const std::string& command) {
  Output out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return out;
  char buf[8192];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.text.append(buf, n);
  out.status = ::pclose(p);
  return out;
}

// Tools are found on PATH, as the other engine tests find sox and lame.
void RequireTool(const std::string& tool) {
  ASSERT_EQ(Shell("command -v " + tool).status, 0)
      << tool << " is not on PATH: scripts/install-deps --test installs it (poppler-utils)";
}

// Without any whitespace (line wrapping, page layout and CJK spacing differ between the
// text and what pdftotext reads back), without the bidirectional embedding marks it puts
// around right-to-left runs, and without the page footers.
std::string Squeezed(const std::string& text) {
  static const std::regex footer(R"((^|\n)[ \t]*Page [0-9]+ of [0-9]+[ \t]*(?=\n|\f|$))");
  static const std::regex bidi("\xE2\x80[\x8E\x8F\xAA-\xAE]|\xE2\x81[\xA6-\xA9]");
  const std::string without = std::regex_replace(std::regex_replace(text, footer, "$1"), bidi, "");
  std::string out;
  for (const char c : without) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r' && c != '\v') out += c;
  }
  return out;
}

// The words of right-to-left text, without punctuation: pdftotext gives each line's runs
// in visual order, so only the words (each in logical order) can be looked for.
std::vector<std::string> ArabicWords(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) {
    for (const std::string p : {"\xD8\x8C", "."}) {  // Arabic comma, full stop
      for (std::size_t at; (at = w.find(p)) != std::string::npos;) w.erase(at, p.size());
    }
    if (!w.empty()) words.push_back(w);
  }
  return words;
}

Message Msg(int i, std::string role, std::string content) {
  Message m;
  m.id = "msg-" + std::to_string(i);
  m.conversation_id = "conv-pdf";
  m.role = std::move(role);
  m.content = std::move(content);
  auto two = [](int n) {
    return std::string(1, static_cast<char>('0' + n / 10 % 10)) + static_cast<char>('0' + n % 10);
  };
  m.created_at = "2026-01-03T14:" + two(i / 60) + ":" + two(i % 60) + ".000Z";
  m.updated_at = m.created_at;
  return m;
}

const std::string kCyrillic = "Съешь же ещё этих мягких французских булок, да выпей чаю.";
const std::string kGreek = "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία, καλημέρα κόσμε.";
const std::string kCjk = "你好世界，这是一个测试。日本語のテキストも表示します。한국어 문장입니다.";
const std::string kArabic = "مرحبا بالعالم، هذا اختبار للنص العربي.";

// A word of 300 letters and digits with no break opportunity in it.
std::string LongWord() {
  std::string w = "https://example.org/";
  for (int i = 0; w.size() < 300; ++i) w += static_cast<char>(i % 3 == 0 ? '0' + i % 10 : 'a' + i % 26);
  return w;
}

// About 30,000 characters: several pages of one message.
std::string LongMessage() {
  std::string text;
  for (int i = 0; i < 4000; ++i) {
    char word[16];
    std::snprintf(word, sizeof word, "w%04d", i);
    text += word;
    text += (i % 97 == 96) ? "\n\n" : " ";
  }
  return text;
}

ExportedConversation Conversation() {
  ExportedConversation e;
  e.conversation.id = "conv-pdf";
  e.conversation.title = "Export test — Тест Δοκιμή 测试";
  e.conversation.summary = "A conversation in many scripts.";
  e.conversation.tags = {"export", "pdf"};
  e.conversation.created_at = "2026-01-03T14:00:00.000Z";
  e.conversation.updated_at = "2026-01-04T10:05:30.000Z";
  e.exported_at = "2026-01-04T11:00:00.000Z";
  for (int i = 0; i < 40; ++i) {
    const bool user = i % 2 == 0;
    std::string content;
    switch (i) {
      case 5:
        content = LongMessage();
        break;
      case 8:
        content = kCyrillic;
        break;
      case 9:
        content = kGreek;
        break;
      case 10:
        content = kCjk;
        break;
      case 11:
        content = kArabic;
        break;
      case 12:
        content = "See " + LongWord() + " for details.";
        break;
      case 13:
        content = "<b>not bold</b> &amp; <span foreground=\"red\">not red</span>";
        break;
      default:
        content = "Message number " + std::to_string(i) + " from the " + (user ? "user" : "assistant") +
                  ", with a few words to wrap: the quick brown fox jumps over the lazy dog.";
    }
    Message m = Msg(i, user ? "user" : "assistant", content);
    if (!user) {
      core::chat::GenerationMetadata g;
      g.model = "test-model";
      g.total_tokens = 100 + i;
      g.generation_ms = 1000 + i;
      m.generation = g;
    }
    e.messages.push_back(std::move(m));
  }
  return e;
}

class CairoPdfRendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RequireTool("pdfinfo");
    RequireTool("pdftotext");
    RequireTool("pdffonts");
  }

  // Writes `pdf` to the temp dir and answers its path.
  std::string Write(const std::string& pdf, const std::string& name = "export.pdf") {
    const std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << pdf;
    return path;
  }

  std::string Info(const std::string& path, const std::string& field) {
    const Output o = Shell("pdfinfo " + path);
    EXPECT_EQ(o.status, 0) << o.text;
    const std::regex line("(^|\n)" + field + ":[ ]*([^\n]*)");
    std::smatch m;
    return std::regex_search(o.text, m, line) ? m[2].str() : std::string();
  }

  std::string Text(const std::string& path, const std::string& flags) {
    const Output o = Shell("pdftotext " + flags + " -enc UTF-8 " + path + " -");
    EXPECT_EQ(o.status, 0) << o.text;
    return o.text;
  }

  CairoPdfRenderer renderer_;
  testing::TempDir dir_;
};

TEST_F(CairoPdfRendererTest, EveryMessageIsInTheDocument) {
  const auto e = Conversation();
  auto pdf = renderer_.Render(e);
  ASSERT_TRUE(pdf.ok()) << pdf.error().internal_message();
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const std::string path = Write(*pdf);

  const int pages = std::atoi(Info(path, "Pages").c_str());
  EXPECT_GT(pages, 6);  // the long message alone takes several
  EXPECT_EQ(Info(path, "Title"), e.conversation.title);
  EXPECT_EQ(Info(path, "Creator"), "Atrium");
  EXPECT_EQ(Info(path, "Page size"), "595.276 x 841.89 pts (A4)");

  // Every script found a font of its own through fontconfig, embedded as a subset.
  const Output fonts = Shell("pdffonts " + path);
  ASSERT_EQ(fonts.status, 0) << fonts.text;
  EXPECT_TRUE(std::regex_search(fonts.text, std::regex(R"([A-Z]{6}\+DejaVuSans )"))) << fonts.text;
  EXPECT_TRUE(std::regex_search(fonts.text, std::regex(R"([A-Z]{6}\+DejaVuSans-Bold )"))) << fonts.text;
  EXPECT_TRUE(std::regex_search(fonts.text, std::regex(R"([A-Z]{6}\+DroidSansFallback)"))) << fonts.text;
  EXPECT_TRUE(std::regex_search(fonts.text, std::regex(R"([A-Z]{6}\+NanumGothic)"))) << fonts.text;
  // Pango draws a character no font has as a box with its hex code in a monospace font.
  EXPECT_EQ(fonts.text.find("Mono"), std::string::npos) << "a character had no font:\n" << fonts.text;

  for (const std::string flags : {"", "-layout"}) {
    SCOPED_TRACE("pdftotext " + flags);
    const std::string raw = Text(path, flags);
    const std::string text = Squeezed(raw);
    EXPECT_NE(raw.find("Page 1 of " + std::to_string(pages)), std::string::npos);
    EXPECT_NE(raw.find("Page " + std::to_string(pages) + " of " + std::to_string(pages)), std::string::npos);
    EXPECT_NE(text.find(Squeezed(e.conversation.title)), std::string::npos);
    EXPECT_NE(text.find("Tags:export,pdf"), std::string::npos);
    for (const auto& m : e.messages) {
      if (m.id == "msg-5" || m.content == kArabic) continue;
      EXPECT_NE(text.find(Squeezed(m.content)), std::string::npos) << m.id << ": " << m.content;
    }
    for (const char* word : {"w0000w0001w0002", "w1999w2000w2001", "w3997w3998w3999"}) {
      EXPECT_NE(text.find(word), std::string::npos) << word;
    }
    for (const auto& s : {kCyrillic, kGreek, kCjk, LongWord()}) {
      EXPECT_NE(text.find(Squeezed(s)), std::string::npos) << s;
    }
    const auto arabic = ArabicWords(kArabic);
    ASSERT_EQ(arabic.size(), 6u);
    for (const auto& w : arabic) EXPECT_NE(text.find(w), std::string::npos) << w;
    EXPECT_EQ(raw.find("w01-"), std::string::npos);  // no hyphen inserted where a word breaks
    EXPECT_NE(text.find("Assistant·2026-01-03" + std::string("14:00:01UTC")), std::string::npos);
    EXPECT_NE(text.find("test-model·101tokens·1001ms"), std::string::npos);
  }
}

TEST_F(CairoPdfRendererTest, TheLongWordIsWrappedNotCut) {
  ExportedConversation e;
  e.conversation.title = "One long word";
  e.messages.push_back(Msg(0, "user", LongWord()));
  auto pdf = renderer_.Render(e);
  ASSERT_TRUE(pdf.ok()) << pdf.error().internal_message();
  const std::string raw = Text(Write(*pdf), "");
  // On more than one line, and every character kept.
  const std::string word = LongWord();
  EXPECT_EQ(raw.find(word), std::string::npos) << raw;
  EXPECT_NE(Squeezed(raw).find(word), std::string::npos) << raw;
}

TEST_F(CairoPdfRendererTest, AnEmptyConversationIsOnePage) {
  ExportedConversation e;
  auto pdf = renderer_.Render(e);
  ASSERT_TRUE(pdf.ok()) << pdf.error().internal_message();
  const std::string path = Write(*pdf);
  EXPECT_EQ(Info(path, "Pages"), "1");
  EXPECT_EQ(Info(path, "Title"), "Untitled conversation");
  EXPECT_NE(Text(path, "").find("Page 1 of 1"), std::string::npos);
}

TEST_F(CairoPdfRendererTest, BrokenTextIsRenderedNotRefused) {
  ExportedConversation e;
  e.conversation.title = "Bad\nbytes\xC3";
  e.messages.push_back(Msg(0, "user", std::string("nul \0 here", 10) + " invalid \xFF\xFE end \r\n crlf \x1B[31m"));
  e.messages.push_back(Msg(1, "", ""));
  auto pdf = renderer_.Render(e);
  ASSERT_TRUE(pdf.ok()) << pdf.error().internal_message();
  const std::string path = Write(*pdf);
  EXPECT_EQ(Info(path, "Title"), "Bad bytes\xEF\xBF\xBD");
  const std::string text = Squeezed(Text(path, ""));
  EXPECT_NE(text.find("nulhereinvalid"), std::string::npos) << text;
  EXPECT_NE(text.find("endcrlf[31m"), std::string::npos) << text;
  EXPECT_NE(text.find("Message·"), std::string::npos) << text;
}

TEST_F(CairoPdfRendererTest, PastThePageLimitIsResourceExhausted) {
  PdfPageOptions options;
  options.max_pages = 2;
  const CairoPdfRenderer small(options);
  ExportedConversation e;
  e.messages.push_back(Msg(0, "user", LongMessage()));
  auto pdf = small.Render(e);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.error().code(), core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(pdf.error().reason(), core::Reason::kNone);
  EXPECT_EQ(pdf.error().safe_message(), "The conversation is too long to export as a PDF");
}

TEST_F(CairoPdfRendererTest, ConcurrentRendersGiveTheSameDocument) {
  auto e = Conversation();
  e.messages.erase(e.messages.begin() + 5);  // the long one: keep the test short under the sanitizers
  auto first = renderer_.Render(e);
  ASSERT_TRUE(first.ok()) << first.error().internal_message();
  constexpr int kThreads = 4;
  std::vector<std::string> out(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 2; ++round) {
        auto pdf = renderer_.Render(e);
        out[t] = pdf.ok() ? std::move(*pdf) : "error: " + pdf.error().internal_message();
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_TRUE(out[t] == *first) << "thread " << t << " differs";
}

}  // namespace
}  // namespace atrium::engines::exports
