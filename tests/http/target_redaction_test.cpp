#include "http/target_redaction.hpp"

#include <gtest/gtest.h>

namespace atrium::http {
namespace {

TEST(TargetRedactionTest, SecretParametersLoseTheirValues) {
  EXPECT_EQ(RedactTarget("/ws?token=abc.def.ghi"), "/ws?token=[redacted]");
  EXPECT_EQ(RedactTarget("/v1/x?api_key=sk-1&model=gpt"), "/v1/x?api_key=[redacted]&model=gpt");
  EXPECT_EQ(RedactTarget("/hook?hub.mode=subscribe&hub.verify_token=s3&hub.challenge=42"),
            "/hook?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=42");
  EXPECT_EQ(RedactTarget("/a?access_token=1&refresh_token=2&id_token=3"),
            "/a?access_token=[redacted]&refresh_token=[redacted]&id_token=[redacted]");
  EXPECT_EQ(RedactTarget("/a?password=p&secret=s&key=k&signature=g&client_secret=c&code=o"),
            "/a?password=[redacted]&secret=[redacted]&key=[redacted]&signature=[redacted]"
            "&client_secret=[redacted]&code=[redacted]");
}

TEST(TargetRedactionTest, NamesMatchWhateverTheirCaseOrEncoding) {
  EXPECT_EQ(RedactTarget("/a?apiKey=1&X-Api-Key=2&API_KEY=3&api%5Fkey=4&accessToken=5"),
            "/a?apiKey=[redacted]&X-Api-Key=[redacted]&API_KEY=[redacted]&api%5Fkey=[redacted]"
            "&accessToken=[redacted]");
  EXPECT_EQ(RedactTarget("/s3?X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-Date=c"),
            "/s3?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&X-Amz-Date=c");
}

TEST(TargetRedactionTest, EverythingElseIsKeptByteForByte) {
  EXPECT_EQ(RedactTarget("/plain/path"), "/plain/path");
  EXPECT_EQ(RedactTarget("/a?"), "/a?");
  EXPECT_EQ(RedactTarget("/a?q=hello+world&page=2&&x&EIO=4&transport=polling"),
            "/a?q=hello+world&page=2&&x&EIO=4&transport=polling");
  EXPECT_EQ(RedactTarget("/a?token"), "/a?token");  // no value, nothing to hide
  EXPECT_EQ(RedactTarget("/a?token=&b=1"), "/a?token=[redacted]&b=1");
  EXPECT_EQ(RedactTarget("/a?keyword=cats&monkeys=3"), "/a?keyword=cats&monkeys=3");
  // Only the first '=' splits: a value holding '=' is still hidden whole.
  EXPECT_EQ(RedactTarget("/a?token=a=b=c&x=1"), "/a?token=[redacted]&x=1");
}

TEST(TargetRedactionTest, SecretNames) {
  for (const char* name : {"token", "api_key", "apikey", "key", "hub.verify_token", "password", "new_password",
                           "passwd", "pwd", "secret", "signature", "sig", "auth", "jwt", "session_id", "code"}) {
    EXPECT_TRUE(IsSecretQueryName(name)) << name;
  }
  for (const char* name : {"q", "page", "model", "sid", "EIO", "transport", "keyword", "codec", "limit", ""}) {
    EXPECT_FALSE(IsSecretQueryName(name)) << name;
  }
}

}  // namespace
}  // namespace atrium::http
