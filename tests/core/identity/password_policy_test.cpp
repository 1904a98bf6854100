#include "core/identity/password_policy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace atrium::core::identity {
namespace {

PasswordPolicy AllClasses(std::size_t min_length = 8) {
  PasswordPolicy p;
  p.min_length = min_length;
  p.require_upper = p.require_lower = p.require_digit = p.require_special = true;
  return p;
}

TEST(PasswordPolicyTest, DefaultPolicyChecksOnlyLength) {
  const PasswordPolicy p;
  EXPECT_EQ(p.Check(""), "Password must be at least 8 characters");
  EXPECT_EQ(p.Check("1234567"), "Password must be at least 8 characters");
  EXPECT_EQ(p.Check("12345678"), std::nullopt);
  EXPECT_EQ(p.Check("aaaaaaaa"), std::nullopt);
  EXPECT_EQ(p.Check(std::string(1024, 'a')), std::nullopt);
  EXPECT_EQ(p.Check(std::string(1025, 'a')), "Password must be at most 1024 characters");
}

TEST(PasswordPolicyTest, CustomLengthBounds) {
  PasswordPolicy p;
  p.min_length = 12;
  p.max_length = 16;
  EXPECT_EQ(p.Check("12345678901"), "Password must be at least 12 characters");
  EXPECT_EQ(p.Check("123456789012"), std::nullopt);
  EXPECT_EQ(p.Check("1234567890123456"), std::nullopt);
  EXPECT_EQ(p.Check("12345678901234567"), "Password must be at most 16 characters");
}

TEST(PasswordPolicyTest, NamesEachMissingClass) {
  const PasswordPolicy p = AllClasses();
  EXPECT_EQ(p.Check("Abcdefg1!"), std::nullopt);
  EXPECT_EQ(p.Check("abcdefg1!"), "Password must be at least 8 characters and include an uppercase letter");
  EXPECT_EQ(p.Check("ABCDEFG1!"), "Password must be at least 8 characters and include a lowercase letter");
  EXPECT_EQ(p.Check("Abcdefgh!"), "Password must be at least 8 characters and include a number");
  EXPECT_EQ(p.Check("Abcdefgh1"), "Password must be at least 8 characters and include a special character");
}

TEST(PasswordPolicyTest, ListsEveryMissingClassInOrder) {
  const PasswordPolicy p = AllClasses(12);
  EXPECT_EQ(p.Check(""),
            "Password must be at least 12 characters and include an uppercase letter, a lowercase letter, a number, "
            "a special character");
  EXPECT_EQ(p.Check("abcdefghijkl"),
            "Password must be at least 12 characters and include an uppercase letter, a number, a special character");
  EXPECT_EQ(p.Check("Abc1!"), "Password must be at least 12 characters");
}

TEST(PasswordPolicyTest, OnlyRequiredClassesAreNamed) {
  PasswordPolicy p;
  p.require_upper = p.require_lower = p.require_digit = true;  // unichat's rule
  EXPECT_EQ(p.Check("abcdefgh"), "Password must be at least 8 characters and include an uppercase letter, a number");
  EXPECT_EQ(p.Check("Abcdefg1"), std::nullopt);
  EXPECT_EQ(p.Check("Abc1"), "Password must be at least 8 characters");
}

TEST(PasswordPolicyTest, TooLongAndMissingClassSaysBoth) {
  PasswordPolicy p;
  p.max_length = 10;
  p.require_digit = true;
  EXPECT_EQ(p.Check("abcdefghijk"), "Password must be at most 10 characters and include a number");
}

TEST(PasswordPolicyTest, SpacesAndNonAsciiCountAsSpecial) {
  PasswordPolicy p;
  p.require_special = true;
  EXPECT_EQ(p.Check("abcd efgh"), std::nullopt);
  EXPECT_EQ(p.Check("abcd\xc3\xa9"
                    "fgh"),
            std::nullopt);
  EXPECT_EQ(p.Check("abcdefgh"), "Password must be at least 8 characters and include a special character");
}

TEST(IsPlausibleEmailTest, Accepts) {
  for (const std::string email : {"a@b.co", "user@example.com", "User.Name+tag@Example.COM", "x_y-z@sub.domain.org",
                                  "1@2.3", "o'brien@example.ie"}) {
    EXPECT_TRUE(IsPlausibleEmail(email)) << email;
  }
}

TEST(IsPlausibleEmailTest, Rejects) {
  for (const std::string email : {"",
                                  "a@",
                                  "@b",
                                  "ab",
                                  "@example.com",
                                  "user@",
                                  "user",
                                  "user@example",
                                  "user@.com",
                                  "user@example.",
                                  "user@example.com.",
                                  "user@@example.com",
                                  "a@b@c.com",
                                  "user name@example.com",
                                  "user@exa mple.com",
                                  " user@example.com",
                                  "user@example.com ",
                                  "user@example..com",
                                  "<user>@example.com",
                                  "a,b@example.com",
                                  "a;b@example.com",
                                  "a\t@example.com",
                                  "a@example.com\n",
                                  "a\x7f@example.com"}) {
    EXPECT_FALSE(IsPlausibleEmail(email)) << email;
  }
}

TEST(IsPlausibleEmailTest, AtMost254Characters) {
  const std::string domain = "@example.com";  // 12 characters
  EXPECT_TRUE(IsPlausibleEmail(std::string(254 - domain.size(), 'a') + domain));
  EXPECT_FALSE(IsPlausibleEmail(std::string(255 - domain.size(), 'a') + domain));
}

}  // namespace
}  // namespace atrium::core::identity
