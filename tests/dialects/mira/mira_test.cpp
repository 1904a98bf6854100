#include "dialects/mira/mira.hpp"

#include "dialects/dialect_harness.hpp"

namespace atrium::dialects::mira {
namespace {

using http::Method;
using testing::ExpectJson;

class MiraTest : public ::testing::Test {
 protected:
  testing::DialectHarness h_{testing::Mira()};
};

TEST_F(MiraTest, UnknownRouteIs404) {
  const auto r = h_.Get("/api/v1/nope");
  ExpectJson(r, 404, R"({"error":{"code":"NOT_FOUND","message":"Not found",
                                  "details":{"timestamp":"2024-05-06T07:08:09Z"},"request_id":"req-1"}})");
  EXPECT_EQ(r.headers.Get("X-Request-Id"), "req-1");
  EXPECT_EQ(r.headers.Get("API-Version"), "v1");
}

TEST_F(MiraTest, WrongMethodIs405WithAllow) {
  const auto r = h_.Send(h_.Make(Method::kPatch, "/api/v1/health"));
  ExpectJson(r, 405, R"({"error":{"code":"METHOD_NOT_ALLOWED","message":"Method not allowed",
                                  "details":{"timestamp":"2024-05-06T07:08:09Z"},"request_id":"req-1"}})");
  EXPECT_EQ(r.headers.Get("Allow"), "GET, HEAD, OPTIONS");
}

TEST_F(MiraTest, MalformedJsonIs400) {
  ExpectJson(h_.PostJson("/test/echo", "{\"a\" 1}"), 400,
             R"({"error":{"code":"INVALID_JSON","message":"Malformed JSON in request body",
                          "details":{"timestamp":"2024-05-06T07:08:09Z"},"request_id":"req-1"}})");
}

TEST_F(MiraTest, WrongContentTypeIs415) {
  ExpectJson(h_.Send(h_.Make(Method::kPost, "/test/echo", "{}", "text/plain")), 415,
             R"({"error":{"code":"UNSUPPORTED_MEDIA_TYPE","message":"Content-Type must be application/json",
                          "details":{"timestamp":"2024-05-06T07:08:09Z"},"request_id":"req-1"}})");
}

TEST_F(MiraTest, PayloadTooLargeIs413) {
  ExpectJson(h_.Fail(testing::TooLarge()), 413,
             R"({"error":{"code":"PAYLOAD_TOO_LARGE","message":"Request body exceeds 65536 bytes",
                          "details":{"timestamp":"2024-05-06T07:08:09Z"},"request_id":"req-1"}})");
}

TEST_F(MiraTest, ThrowingHandlerIs500WithoutDetail) {
  const auto r = h_.Get("/test/throw");
  ExpectJson(r, 500, R"({"error":{"code":"INTERNAL_ERROR","message":"Internal server error",
                                  "details":{"timestamp":"2024-05-06T07:08:09Z"},"request_id":"req-1"}})");
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
}

TEST_F(MiraTest, ValidationIs400) {
  ExpectJson(h_.PostJson("/test/validate", "{}"), 400,
             R"({"error":{"code":"VALIDATION_ERROR","message":"name is required",
                          "details":{"timestamp":"2024-05-06T07:08:09Z"},"request_id":"req-1"}})");
}

TEST_F(MiraTest, HealthBodyCountsThisDialectsRequestsInTheLastMinute) {
  (void)h_.Get("/nope");
  (void)h_.Get("/nope");
  h_.clock().Advance(std::chrono::seconds{42});
  auto r = h_.Get("/api/v1/health");
  ExpectJson(r, 200, R"({"status":"degraded","timestamp":"2024-05-06T07:08:51Z",
                         "services":{"database":"healthy","storage":"healthy","ai_models":"not_configured"},
                         "metrics":{"requests_per_minute":2}})");
  EXPECT_EQ(r.headers.Get("API-Version"), "v1");
  // 30 s later the two 404s (72 s old) have left the window; the health call (30 s old) has not.
  h_.clock().Advance(std::chrono::seconds{30});
  ExpectJson(h_.Get("/api/v1/health"), 200, R"({"status":"degraded","timestamp":"2024-05-06T07:09:21Z",
                         "services":{"database":"healthy","storage":"healthy","ai_models":"not_configured"},
                         "metrics":{"requests_per_minute":1}})");
}

TEST_F(MiraTest, HealthIsUnhealthyAnd503WhenStorageIsGone) {
  std::filesystem::remove_all(h_.blobs_dir());
  ExpectJson(h_.Get("/api/v1/health"), 503, R"({"status":"unhealthy","timestamp":"2024-05-06T07:08:09Z",
                         "services":{"database":"healthy","storage":"unhealthy","ai_models":"not_configured"},
                         "metrics":{"requests_per_minute":0}})");
}

}  // namespace
}  // namespace atrium::dialects::mira
