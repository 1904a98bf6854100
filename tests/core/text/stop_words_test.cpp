// ContentWords keeps what a message is about: English function words go, in any case,
// including the pieces of contractions; a text of only such words stays whole; other
// scripts and numbers are content.

#include "core/text/stop_words.hpp"

#include <gtest/gtest.h>

namespace atrium::core::text {
namespace {

TEST(StopWordsTest, FunctionWordsGoContentStays) {
  EXPECT_EQ(ContentWords("What about my sister's birthday, and HER cat?"), "sister birthday cat");
  EXPECT_EQ(ContentWords("Tell me what you remember about coffee"), "coffee");
  EXPECT_EQ(ContentWords("Does the user like jazz"), "user like jazz");
  EXPECT_EQ(ContentWords("I'll be in Zürich on 2026-03-14"), "Zürich 2026 03 14");
  EXPECT_EQ(ContentWords("東京 and the 大阪"), "東京 大阪");
}

TEST(StopWordsTest, OnlyFunctionWordsOrNoWordsKeepTheText) {
  EXPECT_EQ(ContentWords("the who"), "the who");
  EXPECT_EQ(ContentWords("  what is it?  "), "  what is it?  ");
  EXPECT_EQ(ContentWords(""), "");
  EXPECT_EQ(ContentWords("?!"), "?!");
}

TEST(StopWordsTest, IsStopWordIgnoresCaseAndLongWords) {
  EXPECT_TRUE(IsStopWord("The"));
  EXPECT_TRUE(IsStopWord("YOURSELVES"));
  EXPECT_TRUE(IsStopWord("s"));
  EXPECT_FALSE(IsStopWord("sister"));
  EXPECT_FALSE(IsStopWord(""));
  EXPECT_FALSE(IsStopWord("antidisestablishmentarianism"));
}

}  // namespace
}  // namespace atrium::core::text
