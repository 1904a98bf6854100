// The export formats' names, types and extensions; the JSON export's fields and casing;
// the Markdown export's structure, checked by the reference CommonMark parser (cmark,
// from scripts/install-deps --test) on content that tries to swallow the next heading.

#include "core/export/conversation_export.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <regex>

#include "core/export/pdf_renderer.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::exports {
namespace {

namespace json = boost::json;
using chat::GenerationMetadata;
using chat::Message;

Message Msg(std::string id, std::string role, std::string content, std::string at) {
  Message m;
  m.id = std::move(id);
  m.conversation_id = "conv-1";
  m.role = std::move(role);
  m.content = std::move(content);
  m.created_at = std::move(at);
  m.updated_at = m.created_at;
  return m;
}

ExportedConversation Sample() {
  ExportedConversation e;
  e.conversation.id = "conv-1";
  e.conversation.user_id = "user-1";
  e.conversation.title = "Weather and Travel Discussion";
  e.conversation.summary = "User asked about weather...";
  e.conversation.tags = {"weather", "travel"};
  e.conversation.created_at = "2026-01-03T14:20:00.000Z";
  e.conversation.updated_at = "2026-01-04T10:05:30.000Z";
  e.messages.push_back(Msg("msg-1", "user", "What is the weather like today?", "2026-01-03T14:20:00.000Z"));
  Message a = Msg("msg-2", "assistant", "I don't have access to real-time weather data...", "2026-01-03T14:20:05.000Z");
  GenerationMetadata g;
  g.model = "mistral-7b-instruct";
  g.prompt_tokens = 45;
  g.completion_tokens = 200;
  g.total_tokens = 245;
  g.generation_ms = 1250;
  a.generation = g;
  e.messages.push_back(std::move(a));
  e.exported_at = "2026-01-04T11:00:00.000Z";
  return e;
}

TEST(ExportFormatTest, ParsesTheSpecNamesOnly) {
  EXPECT_EQ(ParseExportFormat("json"), ExportFormat::kJson);
  EXPECT_EQ(ParseExportFormat("markdown"), ExportFormat::kMarkdown);
  EXPECT_EQ(ParseExportFormat("pdf"), ExportFormat::kPdf);
  for (const char* other : {"", "JSON", "Markdown", "md", "txt", "pdf ", " json", "html"}) {
    EXPECT_EQ(ParseExportFormat(other), std::nullopt) << other;
  }
}

TEST(ExportFormatTest, NamesExtensionsAndContentTypes) {
  EXPECT_EQ(FileExtension(ExportFormat::kJson), ".json");
  EXPECT_EQ(FileExtension(ExportFormat::kMarkdown), ".md");
  EXPECT_EQ(FileExtension(ExportFormat::kPdf), ".pdf");
  EXPECT_EQ(ContentType(ExportFormat::kJson), "application/json");
  EXPECT_EQ(ContentType(ExportFormat::kMarkdown), "text/markdown; charset=utf-8");
  EXPECT_EQ(ContentType(ExportFormat::kPdf), "application/pdf");
  for (const auto f : {ExportFormat::kJson, ExportFormat::kMarkdown, ExportFormat::kPdf}) {
    EXPECT_EQ(ParseExportFormat(ExportFormatName(f)), f);
  }
}

TEST(ExportFormatTest, RoleLabels) {
  EXPECT_EQ(RoleLabel("user"), "User");
  EXPECT_EQ(RoleLabel("assistant"), "Assistant");
  EXPECT_EQ(RoleLabel("system"), "System");
  EXPECT_EQ(RoleLabel("tool"), "Tool");
  EXPECT_EQ(RoleLabel(""), "Message");
}

TEST(JsonExportTest, HasTheShapeOfTheConversationAnswer) {
  const json::value v = json::parse(RenderJson(Sample()));
  const auto& root = v.as_object();
  EXPECT_EQ(root.size(), 3u);
  EXPECT_EQ(root.at("exportedAt"), "2026-01-04T11:00:00.000Z");

  const auto& c = root.at("conversation").as_object();
  EXPECT_EQ(c.size(), 6u);
  EXPECT_EQ(c.at("id"), "conv-1");
  EXPECT_EQ(c.at("title"), "Weather and Travel Discussion");
  EXPECT_EQ(c.at("summary"), "User asked about weather...");
  EXPECT_EQ(c.at("tags"), (json::array{"weather", "travel"}));
  EXPECT_EQ(c.at("createdAt"), "2026-01-03T14:20:00.000Z");
  EXPECT_EQ(c.at("updatedAt"), "2026-01-04T10:05:30.000Z");

  const auto& messages = root.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  const auto& user = messages[0].as_object();
  EXPECT_EQ(user.size(), 5u);
  EXPECT_EQ(user.at("id"), "msg-1");
  EXPECT_EQ(user.at("role"), "user");
  EXPECT_EQ(user.at("content"), "What is the weather like today?");
  EXPECT_EQ(user.at("timestamp"), "2026-01-03T14:20:00.000Z");
  EXPECT_EQ(user.at("metadata"), (json::object{{"voiceInput", false}}));

  const auto& assistant = messages[1].as_object();
  EXPECT_EQ(assistant.at("id"), "msg-2");
  EXPECT_EQ(assistant.at("role"), "assistant");
  EXPECT_EQ(assistant.at("timestamp"), "2026-01-03T14:20:05.000Z");
  EXPECT_EQ(assistant.at("metadata"),
            (json::object{{"tokensUsed", 245},
                          {"inferenceTime", 1250},
                          {"model", "mistral-7b-instruct"},
                          {"retrievedContext", json::array{}}}));
}

TEST(JsonExportTest, UnsetSummaryIsNullAndTextRoundTrips) {
  auto e = Sample();
  e.conversation.summary.reset();
  e.conversation.tags.clear();
  e.messages[0].content = "quote \" backslash \\ newline \n tab \t NUL " + std::string(1, '\0') + " Ünï 日本 مرحبا";
  const json::value v = json::parse(RenderJson(e));
  EXPECT_TRUE(v.at("conversation").at("summary").is_null());
  EXPECT_EQ(v.at("conversation").at("tags"), json::array{});
  EXPECT_EQ(json::value_to<std::string>(v.at("messages").at(0).at("content")), e.messages[0].content);
}

TEST(JsonExportTest, NoMessages) {
  auto e = Sample();
  e.messages.clear();
  EXPECT_EQ(json::parse(RenderJson(e)).at("messages"), json::array{});
}

TEST(MarkdownExportTest, Layout) {
  const std::string md = RenderMarkdown(Sample());
  EXPECT_EQ(md,
            "# Weather and Travel Discussion\n"
            "\n"
            "Created 2026-01-03T14:20:00.000Z · Updated 2026-01-04T10:05:30.000Z · 2 messages · Tags: weather, "
            "travel\n"
            "\n"
            "> User asked about weather...\n"
            "\n"
            "Exported 2026-01-04T11:00:00.000Z\n"
            "\n"
            "---\n"
            "\n"
            "### User — 2026-01-03T14:20:00.000Z\n"
            "\n"
            "What is the weather like today?\n"
            "\n"
            "---\n"
            "\n"
            "### Assistant — 2026-01-03T14:20:05.000Z\n"
            "\n"
            "I don't have access to real-time weather data...\n");
}

TEST(MarkdownExportTest, TitleStaysOneHeading) {
  auto e = Sample();
  e.conversation.title = "Line one\nLine two\r\n# not a heading";
  EXPECT_EQ(RenderMarkdown(e).substr(0, 44), "# Line one Line two # not a heading\n\nCreated");
  e.conversation.title = "Issue #";
  EXPECT_EQ(RenderMarkdown(e).substr(0, 13), "# Issue \\#\n\nC");
  e.conversation.title = "  ";
  EXPECT_EQ(RenderMarkdown(e).substr(0, 25), "# Untitled conversation\n\n");
}

// Runs cmark on `markdown` and answers its HTML. A missing cmark fails the test: it is
// installed by scripts/install-deps --test.
std::string Cmark(const std::string& markdown) {
  testing::TempDir dir;
  const std::string in = dir.File("in.md");
  std::ofstream(in, std::ios::binary) << markdown;
  FILE* p = ::popen(("cmark " + in + " 2>&1").c_str(), "r");
  if (p == nullptr) return "popen failed";
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = ::pclose(p);
  EXPECT_EQ(status, 0) << "cmark failed (not on PATH? run scripts/install-deps --test): " << out;
  return out;
}

std::vector<std::string> H3s(const std::string& html) {
  std::vector<std::string> out;
  static const std::regex h3("<h3>([^<]*)</h3>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), h3); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

TEST(MarkdownExportTest, NoContentSwallowsTheNextHeading) {
  const std::vector<std::string> tricky = {
      "```python\nprint('unclosed fence')",
      "~~~~\ncode\n~~~\nstill code (the closing fence is too short)",
      "  ```\nindented opening fence",
      "```\nclosed\n```\n\n````\nopen again",
      "<pre>\nraw html never closed",
      "<script type=\"x\">\nlet x = 1;",
      "<!-- a comment never closed",
      "<?php echo 1;",
      "<!DOCTYPE html",
      "<![CDATA[ data",
      "<style>\np { color: red }",
      "<textarea>",
      "<div>\nhtml block of kind 6",
      "- a list\n\n  ```\n  code in an item, never closed",
      "> a quote\n> ```\n> fenced in the quote",
      "1. item\n   <pre>\n   in the item",
      "line\n---",
      "trailing backslash \\",
      "    indented code",
      "setext\n===",
      "tab\t```\nnot a fence",
      "windows\r\n```\r\nfence\r\n",
      "lone CR\r```\rfence",
      "* * *\n```\nafter a break",
      "```\n",
      "",
  };
  auto e = Sample();
  e.messages.clear();
  for (std::size_t i = 0; i < tricky.size(); ++i) {
    e.messages.push_back(Msg("m" + std::to_string(i), i % 2 ? "assistant" : "user", tricky[i],
                             "2026-01-03T14:" + std::to_string(10 + i) + ":00.000Z"));
  }
  e.messages.push_back(Msg("last", "user", "the end", "2026-01-03T15:00:00.000Z"));
  const std::string html = Cmark(RenderMarkdown(e));
  const auto headings = H3s(html);
  ASSERT_EQ(headings.size(), e.messages.size()) << html;
  for (std::size_t i = 0; i < e.messages.size(); ++i) {
    EXPECT_EQ(headings[i], RoleLabel(e.messages[i].role) + " — " + e.messages[i].created_at) << i;
  }
  EXPECT_NE(html.find("<h1>Weather and Travel Discussion</h1>"), std::string::npos) << html;
  EXPECT_NE(html.find("<p>the end</p>"), std::string::npos) << html;
}

TEST(MarkdownExportTest, ContentStaysMarkdown) {
  auto e = Sample();
  e.messages.resize(1);
  e.messages[0].content = "Some **bold**, a [link](https://example.org) and\n\n```cpp\nint x = 1;\n```\n";
  const std::string md = RenderMarkdown(e);
  EXPECT_NE(md.find("\n\nSome **bold**, a [link](https://example.org) and\n\n```cpp\nint x = 1;\n```\n"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("```\n```"), std::string::npos) << md;  // a closed fence gets no extra one
  const std::string html = Cmark(md);
  EXPECT_NE(html.find("<strong>bold</strong>"), std::string::npos) << html;
  EXPECT_NE(html.find("<code class=\"language-cpp\">int x = 1;\n</code>"), std::string::npos) << html;
}

TEST(MarkdownExportTest, WithoutSummaryTagsOrMessages) {
  auto e = Sample();
  e.conversation.summary.reset();
  e.conversation.tags.clear();
  e.messages.clear();
  EXPECT_EQ(RenderMarkdown(e),
            "# Weather and Travel Discussion\n\nCreated 2026-01-03T14:20:00.000Z · Updated "
            "2026-01-04T10:05:30.000Z · 0 messages\n\nExported 2026-01-04T11:00:00.000Z\n");
}

class FakePdf final : public ConversationPdfRenderer {
 public:
  Result<std::string> Render(const ExportedConversation& e) const override {
    if (e.conversation.title == "fail") return Error(ErrorCode::kInternal, "The PDF could not be made");
    return std::string("%PDF-fake ") + e.conversation.id;
  }
};

TEST(RenderExportTest, PicksTheRenderer) {
  const FakePdf pdf;
  const auto e = Sample();
  auto j = RenderExport(ExportFormat::kJson, e, pdf);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(*j, RenderJson(e));
  auto m = RenderExport(ExportFormat::kMarkdown, e, pdf);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, RenderMarkdown(e));
  auto p = RenderExport(ExportFormat::kPdf, e, pdf);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, "%PDF-fake conv-1");
  auto failing = e;
  failing.conversation.title = "fail";
  auto f = RenderExport(ExportFormat::kPdf, failing, pdf);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(f.error().safe_message(), "The PDF could not be made");
}

}  // namespace
}  // namespace atrium::core::exports
