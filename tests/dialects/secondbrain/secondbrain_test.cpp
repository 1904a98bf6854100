#include "dialects/secondbrain/secondbrain.hpp"

#include "dialects/dialect_harness.hpp"

namespace atrium::dialects::secondbrain {
namespace {

using http::Method;
using testing::ExpectJson;

class SecondbrainTest : public ::testing::Test {
 protected:
  testing::DialectHarness h_{testing::Secondbrain()};
};

TEST_F(SecondbrainTest, UnknownRouteIs404) {
  const auto r = h_.Get("/api/nope");
  ExpectJson(r, 404, R"({"error":{"type":"NOT_FOUND","message":"Not found","code":"NF_001","details":{},
                                  "requestId":"req-1","timestamp":"2024-05-06T07:08:09.123Z"}})");
  EXPECT_EQ(r.headers.Get("X-Request-Id"), "req-1");
  EXPECT_EQ(r.headers.Get("X-API-Version"), "1.0.0");
}

TEST_F(SecondbrainTest, WrongMethodIs405WithAllow) {
  const auto r = h_.Send(h_.Make(Method::kPost, "/api/v1/health"));
  ExpectJson(r, 405, R"({"error":{"type":"METHOD_NOT_ALLOWED","message":"Method not allowed","code":"REQ_001",
                                  "details":{},"requestId":"req-1","timestamp":"2024-05-06T07:08:09.123Z"}})");
  EXPECT_EQ(r.headers.Get("Allow"), "GET, HEAD, OPTIONS");
}

TEST_F(SecondbrainTest, MalformedJsonIs400) {
  ExpectJson(h_.PostJson("/test/echo", "{oops}"), 400,
             R"({"error":{"type":"VALIDATION_ERROR","message":"Malformed JSON in request body","code":"VAL_002",
                          "details":{},"requestId":"req-1","timestamp":"2024-05-06T07:08:09.123Z"}})");
}

TEST_F(SecondbrainTest, WrongContentTypeIs415) {
  ExpectJson(h_.Send(h_.Make(Method::kPost, "/test/echo", "{}", "text/plain")), 415,
             R"({"error":{"type":"VALIDATION_ERROR","message":"Content-Type must be application/json","code":"VAL_003",
                          "details":{},"requestId":"req-1","timestamp":"2024-05-06T07:08:09.123Z"}})");
}

TEST_F(SecondbrainTest, PayloadTooLargeIs413) {
  ExpectJson(h_.Fail(testing::TooLarge()), 413,
             R"({"error":{"type":"VALIDATION_ERROR","message":"Request body exceeds 65536 bytes","code":"VAL_004",
                          "details":{},"requestId":"req-1","timestamp":"2024-05-06T07:08:09.123Z"}})");
}

TEST_F(SecondbrainTest, ThrowingHandlerIs500WithoutDetail) {
  const auto r = h_.Get("/test/throw");
  ExpectJson(r, 500, R"({"error":{"type":"INTERNAL_ERROR","message":"Internal server error","code":"INT_001",
                                  "details":{},"requestId":"req-1","timestamp":"2024-05-06T07:08:09.123Z"}})");
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
}

TEST_F(SecondbrainTest, ValidationIs400) {
  ExpectJson(h_.PostJson("/test/validate", "{}"), 400,
             R"({"error":{"type":"VALIDATION_ERROR","message":"name is required","code":"VAL_001",
                          "details":{},"requestId":"req-1","timestamp":"2024-05-06T07:08:09.123Z"}})");
}

TEST_F(SecondbrainTest, HealthBodyOnBothPrefixes) {
  h_.clock().Advance(std::chrono::seconds{42});
  for (const char* path : {"/api/health", "/api/v1/health"}) {
    const auto r = h_.Get(path);
    ExpectJson(r, 200, R"({"status":"degraded","timestamp":"2024-05-06T07:08:51.123Z",
                           "services":{"api":{"status":"up","latency":0},
                                       "database":{"status":"up","latency":0},
                                       "fileStorage":{"status":"up","latency":0},
                                       "llmService":{"status":"down","latency":0,"message":"not configured"},
                                       "vectorDb":{"status":"down","latency":0,"message":"no embedding model configured: full-text search only"}},
                           "version":"9.9.9-test","uptime":42})");
    EXPECT_EQ(r.headers.Get("X-API-Version"), "1.0.0");
  }
}

TEST_F(SecondbrainTest, HealthIsDownAnd503WhenBlobStorageIsGone) {
  std::filesystem::remove_all(h_.blobs_dir());
  ExpectJson(h_.Get("/api/health"), 503, R"({"status":"down","timestamp":"2024-05-06T07:08:09.123Z",
                                             "services":{"api":{"status":"up","latency":0},
                                                         "database":{"status":"up","latency":0},
                                                         "fileStorage":{"status":"down","latency":0,"message":"not writable"},
                                                         "llmService":{"status":"down","latency":0,"message":"not configured"},
                                       "vectorDb":{"status":"down","latency":0,"message":"no embedding model configured: full-text search only"}},
                                             "version":"9.9.9-test","uptime":0})");
}

TEST_F(SecondbrainTest, HealthRunsOnAWorker) {
  EXPECT_TRUE(http::Site::Blocks(h_.site().Match(h_.Make(Method::kGet, "/api/health"))));
}

}  // namespace
}  // namespace atrium::dialects::secondbrain
