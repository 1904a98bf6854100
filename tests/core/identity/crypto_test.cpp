#include "core/identity/crypto.hpp"

#include <gtest/gtest.h>

#include <string>

namespace atrium::core::identity {
namespace {

std::string Hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0f];
  }
  return out;
}

TEST(Sha256HexTest, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HmacSha256Test, Rfc4231TestCase2) {
  const std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  ASSERT_EQ(mac.size(), 32u);
  EXPECT_EQ(Hex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256Test, KeyAndDataBothMatter) {
  const std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_NE(HmacSha256("Jeff", "what do ya want for nothing?"), mac);
  EXPECT_NE(HmacSha256("Jefe", "what do ya want for nothing!"), mac);
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "Secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret!"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secre"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(Base64UrlTest, Rfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
}

TEST(Base64UrlTest, UsesTheUrlAlphabet) {
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlEncode("\xff\xff\xff"), "____");
  EXPECT_EQ(Base64UrlEncode("\xfb\xef\xbe"), "----");
  EXPECT_EQ(Base64UrlDecode("-_8"), std::string("\xfb\xff"));
  EXPECT_EQ(Base64UrlDecode("____"), std::string("\xff\xff\xff"));
}

TEST(Base64UrlTest, RoundTripsEveryLengthFromZeroToTen) {
  for (std::size_t n = 0; n <= 10; ++n) {
    std::string data;
    for (std::size_t i = 0; i < n; ++i) data += static_cast<char>((i * 37 + n * 101 + 250) & 0xff);
    const std::string encoded = Base64UrlEncode(data);
    EXPECT_EQ(encoded.size(), (n * 4 + 2) / 3) << "n=" << n;
    EXPECT_EQ(encoded.find_first_of("=+/"), std::string::npos) << encoded;
    const auto decoded = Base64UrlDecode(encoded);
    ASSERT_TRUE(decoded.has_value()) << "n=" << n << " " << encoded;
    EXPECT_EQ(*decoded, data) << "n=" << n;
  }
}

TEST(Base64UrlTest, DecodesTheRfc4648Vectors) {
  EXPECT_EQ(Base64UrlDecode(""), std::string());
  EXPECT_EQ(Base64UrlDecode("Zg"), std::string("f"));
  EXPECT_EQ(Base64UrlDecode("Zm8"), std::string("fo"));
  EXPECT_EQ(Base64UrlDecode("Zm9v"), std::string("foo"));
  EXPECT_EQ(Base64UrlDecode("Zm9vYmFy"), std::string("foobar"));
}

TEST(Base64UrlTest, DecodeRejectsPadding) {
  EXPECT_EQ(Base64UrlDecode("Zg=="), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm8="), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zg="), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("===="), std::nullopt);
}

TEST(Base64UrlTest, DecodeRejectsCharactersOutsideTheAlphabet) {
  EXPECT_EQ(Base64UrlDecode("Zm+v"), std::nullopt);  // standard alphabet, not url
  EXPECT_EQ(Base64UrlDecode("Zm/v"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm 9v"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9v\n"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm.v"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode(std::string("Zm\0v", 4)), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm\xc3\xa9v"), std::nullopt);
}

TEST(Base64UrlTest, DecodeRejectsImpossibleLengths) {
  EXPECT_EQ(Base64UrlDecode("A"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9vY"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9vYmFyZ"), std::nullopt);
}

TEST(Base64UrlTest, DecodeRejectsNonZeroLeftoverBits) {
  // "f" is "Zg"; 'h' differs from 'g' only in a bit that no byte holds.
  EXPECT_EQ(Base64UrlDecode("Zh"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zv"), std::nullopt);
  // "fo" is "Zm8"; '9' sets one of the two leftover bits.
  EXPECT_EQ(Base64UrlDecode("Zm9"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9vYh"), std::nullopt);
}

}  // namespace
}  // namespace atrium::core::identity
