#include "dialects/unichat/conversation_export.hpp"

#include <gtest/gtest.h>

namespace atrium::dialects::unichat {
namespace {

TEST(UnichatExportTest, AsciiTitlesKeepSafeCharactersOnly) {
  EXPECT_EQ(AttachmentDisposition("Release notes v2.1", "2024-05-06", "md"),
            "attachment; filename=\"conversation_Release_notes_v2.1_2024-05-06.md\"");
  EXPECT_EQ(AttachmentDisposition("Say \"hi\" to <them>", "2024-05-06", "json"),
            "attachment; filename=\"conversation_Say_hi_to_them_2024-05-06.json\"");
  EXPECT_EQ(AttachmentDisposition("../../etc/passwd", "2024-05-06", "md"),
            "attachment; filename=\"conversation_etc_passwd_2024-05-06.md\"");
  EXPECT_EQ(AttachmentDisposition("a\r\nContent-Type: text/html", "2024-05-06", "md"),
            "attachment; filename=\"conversation_a_Content-Type_text_html_2024-05-06.md\"");
  EXPECT_EQ(AttachmentDisposition("", "2024-05-06", "md"),
            "attachment; filename=\"conversation_untitled_2024-05-06.md\"");
  EXPECT_EQ(AttachmentDisposition("?!", "2024-05-06", "md"),
            "attachment; filename=\"conversation_untitled_2024-05-06.md\"");
  EXPECT_EQ(AttachmentDisposition(std::string(80, 'x'), "2024-05-06", "md"),
            "attachment; filename=\"conversation_" + std::string(50, 'x') + "_2024-05-06.md\"");
}

TEST(UnichatExportTest, NonAsciiTitlesGetAnRfc5987Name) {
  EXPECT_EQ(AttachmentDisposition("Café ☕ notes", "2024-05-06", "md"),
            "attachment; filename=\"conversation_Caf_notes_2024-05-06.md\"; "
            "filename*=UTF-8''conversation_Caf%C3%A9_%E2%98%95_notes_2024-05-06.md");
  EXPECT_EQ(AttachmentDisposition("日本", "2024-05-06", "json"),
            "attachment; filename=\"conversation_untitled_2024-05-06.json\"; "
            "filename*=UTF-8''conversation_%E6%97%A5%E6%9C%AC_2024-05-06.json");
  // Bidirectional overrides, zero-width characters and invalid UTF-8 are never kept.
  EXPECT_EQ(AttachmentDisposition("evil\u202Egpj.exe", "2024-05-06", "md"),
            "attachment; filename=\"conversation_evil_gpj.exe_2024-05-06.md\"");
  EXPECT_EQ(AttachmentDisposition("a\u200Bb\xC3", "2024-05-06", "md"),
            "attachment; filename=\"conversation_a_b_2024-05-06.md\"");
  // 50 characters, not bytes.
  const std::string long_title = [] {
    std::string s;
    for (int i = 0; i < 60; ++i) s += "é";
    return s;
  }();
  const auto d = AttachmentDisposition(long_title, "2024-05-06", "md");
  std::string expected = "filename*=UTF-8''conversation_";
  for (int i = 0; i < 50; ++i) expected += "%C3%A9";
  EXPECT_NE(d.find(expected + "_2024-05-06.md"), std::string::npos) << d;
}

TEST(UnichatExportTest, MarkdownAndJsonBodies) {
  core::chat::Conversation c;
  c.id = "c1";
  c.title = "Two\nlines";
  c.message_count = 2;
  c.model = "m1";
  c.created_at = "2024-05-06T07:08:09.123Z";
  core::chat::Message q{"u1", "c1", "user", "Hello?"};
  q.created_at = "2024-05-06T07:08:10.000Z";
  core::chat::Message a{"a1", "c1", "assistant", "Hi."};
  a.created_at = "2024-05-06T07:08:11.000Z";
  a.generation = core::chat::GenerationMetadata{.model = "m1", .total_tokens = 7, .generation_ms = 120};
  const auto md = ExportConversation(c, {q, a}, ExportFormat::kMarkdown, true, "2024-05-07", "2024-05-07T00:00:00Z");
  EXPECT_EQ(md.content_type, "text/markdown; charset=utf-8");
  EXPECT_EQ(md.body,
            "# Two lines\n\n"
            "- Created: 2024-05-06T07:08:09.123Z\n- Messages: 2\n- Model: m1\n- Tokens: 0 (input 0, output 0)\n"
            "- Exported: 2024-05-07T00:00:00Z\n\n---\n"
            "\n## User\n\n*2024-05-06T07:08:10.000Z*\n\nHello?\n"
            "\n## Assistant\n\n*2024-05-06T07:08:11.000Z*\n\nHi.\n\n*m1 · 7 tokens · 120 ms*\n");
  EXPECT_EQ(md.disposition, "attachment; filename=\"conversation_Two_lines_2024-05-07.md\"");
  const auto bare = ExportConversation(c, {q, a}, ExportFormat::kMarkdown, false, "2024-05-07", "x");
  EXPECT_EQ(bare.body, "# Two lines\n\n---\n\n## User\n\nHello?\n\n## Assistant\n\nHi.\n");
  const auto js = ExportConversation(c, {q, a}, ExportFormat::kJson, false, "2024-05-07", "x");
  EXPECT_EQ(js.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(js.body.find("\"metadata\""), std::string::npos);
  EXPECT_EQ(js.body.find("\"stats\""), std::string::npos);
  EXPECT_NE(js.body.find("\"exported_at\":\"x\""), std::string::npos);
}

}  // namespace
}  // namespace atrium::dialects::unichat
