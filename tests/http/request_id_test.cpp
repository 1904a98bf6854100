#include "http/request_id.hpp"

#include <gtest/gtest.h>

#include "support/fakes.hpp"

namespace atrium::http {
namespace {

constexpr const char* kFirstUuid = "00010203-0405-4607-8809-0a0b0c0d0e0f";

TEST(IsSaneRequestIdTest, AcceptsTheAllowedAlphabet) {
  EXPECT_TRUE(IsSaneRequestId("a"));
  EXPECT_TRUE(IsSaneRequestId("abcXYZ019-_.:"));
  EXPECT_TRUE(IsSaneRequestId("00010203-0405-4607-8809-0a0b0c0d0e0f"));
  EXPECT_TRUE(IsSaneRequestId(std::string(128, 'x')));
}

TEST(IsSaneRequestIdTest, RejectsEverythingElse) {
  EXPECT_FALSE(IsSaneRequestId(""));
  EXPECT_FALSE(IsSaneRequestId(std::string(129, 'x')));
  EXPECT_FALSE(IsSaneRequestId("has space"));
  EXPECT_FALSE(IsSaneRequestId("line\nbreak"));
  EXPECT_FALSE(IsSaneRequestId("x\r\nSet-Cookie: a=b"));
  EXPECT_FALSE(IsSaneRequestId("tab\t"));
  EXPECT_FALSE(IsSaneRequestId("slash/"));
  EXPECT_FALSE(IsSaneRequestId("quote\""));
  EXPECT_FALSE(IsSaneRequestId("caf\xc3\xa9"));
  EXPECT_FALSE(IsSaneRequestId(std::string("nul\0", 4)));
}

TEST(ChooseRequestIdTest, EchoesASaneId) {
  testing::FakeRandom random;
  EXPECT_EQ(ChooseRequestId("trace-42.a:b_c", random), "trace-42.a:b_c");
  EXPECT_EQ(random.calls(), 0);
}

TEST(ChooseRequestIdTest, ReplacesMissingOrInsaneIds) {
  for (const std::string& bad :
       {std::string(), std::string("two words"), std::string("a\nb"), std::string(129, 'x'), std::string("<script>")}) {
    testing::FakeRandom random;
    EXPECT_EQ(ChooseRequestId(bad, random), kFirstUuid) << bad;
    EXPECT_EQ(random.calls(), 1);
  }
}

}  // namespace
}  // namespace atrium::http
