#include "core/images/input_image.hpp"

#include <gtest/gtest.h>

#include "core/codec/base64.hpp"

namespace atrium::core::images {
namespace {

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

std::string DataUri(const std::string& mime, const std::string& bytes) {
  return "data:" + mime + ";base64," + Base64Encode(bytes);
}

void ExpectInvalid(std::string_view text, const std::string& message) {
  auto r = ParseInputImage(text, "input_images[0]");
  ASSERT_FALSE(r.ok()) << text.substr(0, 40);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().safe_message(), message);
}

TEST(InputImageTest, SniffsTheFourTypes) {
  EXPECT_EQ(SniffImageType(kPng), "image/png");
  EXPECT_EQ(SniffImageType("\xFF\xD8\xFF\xE0rest"), "image/jpeg");
  EXPECT_EQ(SniffImageType("GIF89a..."), "image/gif");
  EXPECT_EQ(SniffImageType(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(SniffImageType(std::string("RIFF\x10\0\0\0WAVEfmt ", 16)), "");
  EXPECT_EQ(SniffImageType("<svg>"), "");
  EXPECT_EQ(SniffImageType(""), "");
}

TEST(InputImageTest, AcceptsDataUrisAndUrls) {
  auto png = ParseInputImage(DataUri("image/png", kPng), "x");
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->kind, InputImage::Kind::kDataUri);
  EXPECT_EQ(png->mime, "image/png");
  EXPECT_EQ(png->bytes, kPng.size());
  auto url = ParseInputImage("https://example.com/cat.jpg?size=2", "x");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->kind, InputImage::Kind::kUrl);
}

TEST(InputImageTest, RejectsWithTheFieldNamed) {
  ExpectInvalid("not an image",
                "input_images[0] must be a base64 data URI (data:image/...;base64,...) or an http(s) URL");
  ExpectInvalid("data:image/png;base64", "input_images[0] is not a valid data URI");
  ExpectInvalid("data:image/png," + kPng, "input_images[0] must be base64-encoded (data:image/...;base64,...)");
  ExpectInvalid(DataUri("image/svg+xml", "<svg/>"), "input_images[0] must be a PNG, JPEG, WebP or GIF image");
  ExpectInvalid("data:image/png;base64,!!!!", "input_images[0] is not valid base64");
  ExpectInvalid("data:image/png;base64,", "input_images[0] is empty");
  ExpectInvalid(DataUri("image/jpeg", kPng), "input_images[0] does not contain the image type it declares");
  ExpectInvalid(DataUri("image/png", kPng + std::string(kMaxInputImageBytes, 'x')),
                "input_images[0] is larger than 10 MiB");
  ExpectInvalid("https://", "input_images[0] URL has no host");
  ExpectInvalid("http://exa mple.com/", "input_images[0] URL contains spaces or control characters");
  ExpectInvalid("https://e.com/" + std::string(2048, 'a'), "input_images[0] URL is longer than 2048 characters");
  ExpectInvalid("ftp://example.com/a.png",
                "input_images[0] must be a base64 data URI (data:image/...;base64,...) or an http(s) URL");
}

}  // namespace
}  // namespace atrium::core::images
