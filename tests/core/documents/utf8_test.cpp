// The UTF-8 helpers the sniffer, the extractors and the chunker rely on.

#include "core/documents/utf8.hpp"

#include <gtest/gtest.h>

namespace atrium::core::documents {
namespace {

TEST(DocumentUtf8, Validity) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("é ü ß € 東京 🙂 \xF4\x8F\xBF\xBF"));  // up to U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));                                      // a continuation byte alone
  EXPECT_FALSE(IsValidUtf8("\xC3"));                                      // cut short
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));                                  // overlong
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));                              // overlong
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));                          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));                              // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));                          // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(
      IsValidUtf8("a\xE2\x82"
                  "b"));  // a sequence broken by ASCII
}

TEST(DocumentUtf8, PrefixOfTextThatArrivesInPieces) {
  EXPECT_EQ(ValidUtf8Prefix("abc\xE2\x82"), 5u);  // may continue with \xAC
  EXPECT_TRUE(EndsInsideSequence("abc\xE2\x82"));
  EXPECT_FALSE(EndsInsideSequence("abc\xE2\x82\xAC"));
  EXPECT_FALSE(EndsInsideSequence("abc"));
  EXPECT_EQ(ValidUtf8Prefix("ab\xFF"
                            "cd"),
            2u);
  EXPECT_EQ(ValidUtf8Prefix("ab\xE2\x28"), 2u);
}

TEST(DocumentUtf8, CountingAndCuttingByCharacters) {
  const std::string_view s = "aé東🙂b";  // 1 + 2 + 3 + 4 + 1 bytes
  EXPECT_EQ(CountChars(s), 5u);
  EXPECT_EQ(AdvanceChars(s, 0, 0), 0u);
  EXPECT_EQ(AdvanceChars(s, 0, 2), 3u);
  EXPECT_EQ(AdvanceChars(s, 0, 4), 10u);
  EXPECT_EQ(AdvanceChars(s, 0, 99), s.size());
  EXPECT_EQ(RetreatChars(s, s.size(), 1), 10u);
  EXPECT_EQ(RetreatChars(s, s.size(), 2), 6u);
  EXPECT_EQ(RetreatChars(s, 3, 99), 0u);
  EXPECT_EQ(CharBoundaryAtOrBefore(s, 4), 3u);  // inside 東
  EXPECT_EQ(CharBoundaryAtOrBefore(s, 3), 3u);
  EXPECT_EQ(CharBoundaryAtOrBefore(s, 99), s.size());
  EXPECT_EQ(PrefixOfChars(s, 3), 6u);
}

}  // namespace
}  // namespace atrium::core::documents
