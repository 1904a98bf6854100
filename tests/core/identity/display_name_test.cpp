#include "core/identity/display_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace atrium::core::identity {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(DisplayNameTest, LengthCountsCodePointsNotBytes) {
  EXPECT_EQ(DisplayNameLength(""), 0u);
  EXPECT_EQ(DisplayNameLength("Ann"), 3u);
  const std::string cyrillic = Repeat("Ж", 30);  // two bytes each
  EXPECT_EQ(cyrillic.size(), 60u);
  EXPECT_EQ(DisplayNameLength(cyrillic), 30u);
  EXPECT_EQ(DisplayNameLength("日本"), 2u);               // three bytes each
  EXPECT_EQ(DisplayNameLength("\xF0\x9F\x98\x80!"), 2u);  // a four-byte emoji and '!'
}

}  // namespace
}  // namespace atrium::core::identity
