// The builder every extractor fills: clean, trimmed, valid UTF-8 blocks under the budget.

#include "core/documents/document_builder.hpp"

#include <gtest/gtest.h>

#include "core/documents/utf8.hpp"

namespace atrium::core::documents {
namespace {

TEST(DocumentBuilder, CleansTrimsAndDropsBlanks) {
  DocumentBuilder b(1000);
  EXPECT_TRUE(b.Add("  \n\t ", 1, ""));
  EXPECT_TRUE(b.Add("\x01\x02\f", 1, ""));  // only control bytes: blank
  EXPECT_TRUE(b.Add("  form\ffeed\x00nul\ttab\nline  ", 2, "S"));
  EXPECT_TRUE(b.Add("caf\xE9 \xE2\x82", 3, ""));
  ASSERT_EQ(b.document().blocks.size(), 2u);
  EXPECT_EQ(b.document().blocks[0].text, "form feed");  // std::string_view literal stops at the NUL
  EXPECT_EQ(b.document().blocks[0].page, 2);
  EXPECT_EQ(b.document().blocks[0].section, "S");
  EXPECT_EQ(b.document().blocks[1].text, "caf\xEF\xBF\xBD \xEF\xBF\xBD");
  EXPECT_FALSE(b.full());
}

TEST(DocumentBuilder, NulAndTabsKeptInShape) {
  DocumentBuilder b(1000);
  EXPECT_TRUE(b.Add(std::string_view("a\0b\tc\nd", 7), 0, ""));
  ASSERT_EQ(b.document().blocks.size(), 1u);
  EXPECT_EQ(b.document().blocks[0].text, "a b\tc\nd");
}

TEST(DocumentBuilder, BudgetCutsBetweenCharacters) {
  DocumentBuilder b(7);
  EXPECT_TRUE(b.Add("abc", 0, ""));
  EXPECT_FALSE(b.Add("東京都庁舎", 0, ""));
  EXPECT_TRUE(b.full());
  EXPECT_TRUE(b.document().truncated);
  ASSERT_EQ(b.document().blocks.size(), 2u);
  EXPECT_EQ(b.document().blocks[1].text, "東京都庁");
  EXPECT_FALSE(b.Add("more", 0, ""));
  EXPECT_EQ(b.document().blocks.size(), 2u);
}

TEST(DocumentBuilder, ExactBudgetIsNotTruncated) {
  DocumentBuilder b(3);
  EXPECT_TRUE(b.Add("abc", 0, ""));
  EXPECT_FALSE(b.full());
  EXPECT_FALSE(b.Add("d", 0, ""));
  EXPECT_TRUE(b.full());
}

TEST(DocumentBuilder, NothingIsNoText) {
  auto r = DocumentBuilder(10).Finish("test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason(), Reason::kInvalidDocument);
  EXPECT_EQ(r.error().safe_message(), "The document contains no text");
}

TEST(DocumentUtf8, ReplacesWhatIsNotUtf8) {
  EXPECT_EQ(ReplaceInvalidUtf8("ok é"), "ok é");
  EXPECT_EQ(ReplaceInvalidUtf8("\xFF"
                               "a"),
            "\xEF\xBF\xBD"
            "a");
  EXPECT_EQ(ReplaceInvalidUtf8("\xE2\x82"
                               "a"),
            "\xEF\xBF\xBD"
            "a");
  EXPECT_EQ(ReplaceInvalidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(IsValidUtf8(ReplaceInvalidUtf8("\xC0\xAF\xF4\x90\x80\x80\xC3")));
}

}  // namespace
}  // namespace atrium::core::documents
