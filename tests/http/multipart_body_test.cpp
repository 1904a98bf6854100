#include "http/multipart_body.hpp"

#include <gtest/gtest.h>

namespace atrium::http {
namespace {

TEST(MultipartBodyTest, BoundaryFromTheContentType) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(MultipartBoundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/mixed; boundary=abc"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("application/json"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"unterminated"), std::nullopt);
}

TEST(MultipartBodyTest, PartsWithFilesAndFields) {
  const std::string body =
      "preamble\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"audio\"; filename=\"q.wav\"\r\n"
      "Content-Type: audio/wav\r\n"
      "\r\n"
      "RIFF\r\n--not-a-boundary\r\nbytes\r\n"
      "--XyZ\r\n"
      "content-disposition: form-data; name=conversationId\r\n"
      "\r\n"
      "abc\r\n"
      "--XyZ--\r\n"
      "epilogue";
  auto parts = ParseMultipart("XyZ", body);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "audio");
  EXPECT_EQ((*parts)[0].filename, "q.wav");
  EXPECT_EQ((*parts)[0].content_type, "audio/wav");
  EXPECT_EQ((*parts)[0].body, "RIFF\r\n--not-a-boundary\r\nbytes");
  EXPECT_EQ((*parts)[1].name, "conversationId");
  EXPECT_EQ((*parts)[1].filename, std::nullopt);
  EXPECT_EQ((*parts)[1].body, "abc");
  EXPECT_EQ(FindPart(*parts, "conversationId"), &(*parts)[1]);
  EXPECT_EQ(FindPart(*parts, "missing"), nullptr);
}

TEST(MultipartBodyTest, BareLineFeedsAndEmptyParts) {
  auto parts = ParseMultipart("b", "--b\nContent-Disposition: form-data; name=\"x\"\n\n\n--b--\n");
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].body, "");
}

TEST(MultipartBodyTest, MalformedBodiesAreRefused) {
  for (const std::string& body : {
           std::string("no boundary at all"),
           std::string("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunterminated"),
           std::string("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--"),
           std::string("--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nx\r\n--b--"),
           std::string("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--"),
           std::string("--b\r\nno colon here\r\n\r\nx\r\n--b--"),
           std::string("--b"),
       }) {
    auto parts = ParseMultipart("b", body);
    EXPECT_FALSE(parts.ok()) << body;
    if (!parts.ok()) {
      EXPECT_EQ(parts.error().status, 400);
    }
  }
  std::string many;
  for (int i = 0; i < 40; ++i) many += "--b\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nv\r\n";
  many += "--b--";
  EXPECT_FALSE(ParseMultipart("b", many).ok());
}

TEST(MultipartBodyTest, ARequestThatIsNotMultipartIs415) {
  Request request;
  request.headers.Set("Content-Type", "application/json");
  request.body = "{}";
  auto parts = ParseMultipartRequest(request);
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.error().status, 415);
}

}  // namespace
}  // namespace atrium::http
