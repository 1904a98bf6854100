#include "http/headers.hpp"

#include <gtest/gtest.h>

namespace atrium::http {
namespace {

using Fields = std::vector<Headers::Field>;

TEST(EqualsIgnoreCaseTest, AsciiOnly) {
  EXPECT_TRUE(EqualsIgnoreCase("Content-Type", "content-TYPE"));
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
  EXPECT_FALSE(EqualsIgnoreCase("Content-Type", "Content-Typ"));
  EXPECT_FALSE(EqualsIgnoreCase("a", "b"));
  EXPECT_FALSE(EqualsIgnoreCase("\xc3\x89", "\xc3\xa9"));  // É and é: no Unicode folding
  EXPECT_FALSE(EqualsIgnoreCase("[", "{"));                // 0x5b vs 0x7b: not letters
  EXPECT_FALSE(EqualsIgnoreCase("@", "`"));
}

TEST(HeadersTest, GetIsCaseInsensitiveAndReturnsTheFirst) {
  Headers h;
  EXPECT_TRUE(h.empty());
  h.Add("X-Thing", "one");
  h.Add("x-thing", "two");
  EXPECT_FALSE(h.empty());
  EXPECT_EQ(h.Get("X-THING"), "one");
  EXPECT_TRUE(h.Has("x-Thing"));
  EXPECT_FALSE(h.Has("X-Other"));
  EXPECT_EQ(h.Get("X-Other"), std::nullopt);
  EXPECT_EQ(h.fields(), (Fields{{"X-Thing", "one"}, {"x-thing", "two"}}));
}

TEST(HeadersTest, SetReplacesEveryCaseVariant) {
  Headers h;
  h.Add("Vary", "Origin");
  h.Add("Accept", "*/*");
  h.Add("VARY", "Accept");
  h.Set("vary", "Cookie");
  EXPECT_EQ(h.fields(), (Fields{{"Accept", "*/*"}, {"vary", "Cookie"}}));
}

TEST(HeadersTest, RemoveEveryCaseVariant) {
  Headers h;
  h.Add("A", "1");
  h.Add("b", "2");
  h.Add("a", "3");
  h.Remove("A");
  EXPECT_EQ(h.fields(), (Fields{{"b", "2"}}));
  h.Remove("missing");
  EXPECT_EQ(h.fields(), (Fields{{"b", "2"}}));
}

TEST(HeadersTest, EmptyValuesArePresent) {
  Headers h;
  h.Add("X-Empty", "");
  EXPECT_TRUE(h.Has("x-empty"));
  EXPECT_EQ(h.Get("x-empty"), "");
}

}  // namespace
}  // namespace atrium::http
