#include "dialects/unamentis/unamentis.hpp"

#include "dialects/dialect_harness.hpp"

namespace atrium::dialects::unamentis {
namespace {

using http::Method;
using testing::ExpectJson;

class UnamentisTest : public ::testing::Test {
 protected:
  testing::DialectHarness h_{testing::Unamentis()};
};

TEST_F(UnamentisTest, UnknownRouteIs404) {
  const auto r = h_.Get("/nope");
  ExpectJson(r, 404, R"({"error":"not_found","message":"Not found","code":"NOT_FOUND","details":{}})");
  EXPECT_EQ(r.headers.Get("X-Request-Id"), "req-1");
}

TEST_F(UnamentisTest, WrongMethodIs405WithAllow) {
  auto r = h_.Send(h_.Make(Method::kPost, "/health"));
  ExpectJson(
      r, 405,
      R"({"error":"method_not_allowed","message":"Method not allowed","code":"METHOD_NOT_ALLOWED","details":{}})");
  EXPECT_EQ(r.headers.Get("Allow"), "GET, HEAD, OPTIONS");
  r = h_.Send(h_.Make(Method::kPut, "/api/logs"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.Get("Allow"), "POST, GET, DELETE, HEAD, OPTIONS");
}

TEST_F(UnamentisTest, MalformedJsonIs400) {
  ExpectJson(
      h_.PostJson("/test/echo", "{\"a\":"), 400,
      R"({"error":"invalid_json","message":"Malformed JSON in request body","code":"INVALID_JSON","details":{}})");
}

TEST_F(UnamentisTest, WrongContentTypeIs415) {
  ExpectJson(
      h_.Send(h_.Make(Method::kPost, "/test/echo", "{}", "text/plain")), 415,
      R"({"error":"unsupported_media_type","message":"Content-Type must be application/json","code":"UNSUPPORTED_MEDIA_TYPE","details":{}})");
}

TEST_F(UnamentisTest, PayloadTooLargeIs413) {
  const auto r = h_.Fail(testing::TooLarge());
  ExpectJson(
      r, 413,
      R"({"error":"payload_too_large","message":"Request body exceeds 65536 bytes","code":"PAYLOAD_TOO_LARGE","details":{}})");
  EXPECT_EQ(r.headers.Get("X-Request-Id"), "req-1");
}

TEST_F(UnamentisTest, ThrowingHandlerIs500WithoutDetail) {
  const auto r = h_.Get("/test/throw");
  ExpectJson(r, 500,
             R"({"error":"internal_error","message":"Internal server error","code":"INTERNAL_ERROR","details":{}})");
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
}

TEST_F(UnamentisTest, ValidationIs400) {
  ExpectJson(h_.PostJson("/test/validate", "{}"), 400,
             R"({"error":"validation_error","message":"name is required","code":"VALIDATION_ERROR","details":{}})");
}

TEST_F(UnamentisTest, JsonEchoSucceeds) {
  ExpectJson(h_.PostJson("/test/echo", R"({"a":[1,2]})"), 200, R"({"a":[1,2]})");
}

TEST_F(UnamentisTest, HealthBody) {
  h_.clock().Advance(std::chrono::seconds{42});
  const auto r = h_.Get("/health");
  ExpectJson(r, 200,
             R"({"status":"healthy","server_time":"2024-05-06T07:08:51Z","uptime_seconds":42,"version":"9.9.9-test"})");
  EXPECT_EQ(r.headers.Get("X-Request-Id"), "req-1");
  EXPECT_FALSE(http::Site::Blocks(h_.site().Match(h_.Make(Method::kGet, "/health"))));  // liveness: I/O thread
}

TEST_F(UnamentisTest, PostLogThenListAndClear) {
  ExpectJson(h_.PostJson("/api/logs", R"({"message":"hi","level":"warn","label":"net","line":7,"metadata":{"k":1}})"),
             200, R"({"success":true})");
  ExpectJson(h_.PostJson("/api/logs", R"([{"message":"a"},{"message":"b","level":"ERROR","client_id":"c1"}])"), 200,
             R"({"success":true})");
  ExpectJson(h_.Get("/api/logs?limit=2"), 200,
             R"({"logs":[
                  {"id":"20212223-2425-4627-a829-2a2b2c2d2e2f","timestamp":"2024-05-06T07:08:09Z","level":"ERROR",
                   "label":"","message":"b","client_id":"c1"},
                  {"id":"10111213-1415-4617-9819-1a1b1c1d1e1f","timestamp":"2024-05-06T07:08:09Z","level":"INFO",
                   "label":"","message":"a"}],
                 "total":3})");
  ExpectJson(h_.Get("/api/logs?level=warning"), 200,
             R"({"logs":[{"id":"00010203-0405-4607-8809-0a0b0c0d0e0f","timestamp":"2024-05-06T07:08:09Z",
                          "level":"WARNING","label":"net","message":"hi","line":7,"metadata":{"k":1}}],
                 "total":1})");
  ExpectJson(h_.Send(h_.Make(Method::kDelete, "/api/logs")), 200, R"({"success":true,"cleared_count":3})");
  ExpectJson(h_.Get("/api/logs"), 200, R"({"logs":[],"total":0})");
}

TEST_F(UnamentisTest, PostLogValidationErrors) {
  ExpectJson(
      h_.PostJson("/api/logs", R"({"level":"INFO"})"), 400,
      R"({"error":"missing_field","message":"message is required","code":"MISSING_FIELD","details":{"field":"message"}})");
  ExpectJson(
      h_.PostJson("/api/logs", R"({"message":"x","level":"loud"})"), 400,
      R"({"error":"validation_error","message":"level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL","code":"VALIDATION_ERROR","details":{"field":"level"}})");
  ExpectJson(
      h_.PostJson("/api/logs", R"({"message":"x","line":"7"})"), 400,
      R"({"error":"validation_error","message":"line must be an integer","code":"VALIDATION_ERROR","details":{"field":"line"}})");
  ExpectJson(
      h_.PostJson("/api/logs", R"({"message":"x","metadata":[1]})"), 400,
      R"({"error":"validation_error","message":"metadata must be an object","code":"VALIDATION_ERROR","details":{"field":"metadata"}})");
  ExpectJson(
      h_.PostJson("/api/logs", R"({"message":5})"), 400,
      R"({"error":"validation_error","message":"message must be a string","code":"VALIDATION_ERROR","details":{"field":"message"}})");
  ExpectJson(
      h_.PostJson("/api/logs", R"([{"message":"ok"},7])"), 400,
      R"({"error":"invalid_json","message":"Each log entry must be a JSON object","code":"INVALID_JSON","details":{}})");
  // A batch with a bad entry stores nothing.
  ExpectJson(h_.Get("/api/logs"), 200, R"({"logs":[],"total":0})");
}

TEST_F(UnamentisTest, ListLogsQueryErrors) {
  for (const char* limit : {"abc", "-1", "10001", "1.5", ""}) {
    ExpectJson(
        h_.Get(std::string("/api/logs?limit=") + limit), 400,
        R"({"error":"bad_request","message":"limit must be an integer from 0 to 10000","code":"BAD_REQUEST","details":{"parameter":"limit"}})");
  }
  ExpectJson(
      h_.Get("/api/logs?level=loud"), 400,
      R"({"error":"bad_request","message":"level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL","code":"BAD_REQUEST","details":{"parameter":"level"}})");
}

TEST_F(UnamentisTest, LogBodyLimitIsOneMebibyte) {
  EXPECT_EQ(h_.site().BodyLimit(h_.site().Match(h_.Make(Method::kPost, "/api/logs"))), 1u << 20);
  EXPECT_EQ(h_.site().BodyLimit(h_.site().Match(h_.Make(Method::kGet, "/api/logs"))), testing::kDefaultBodyLimit);
}

TEST_F(UnamentisTest, ActiveRequestsReturnToZero) {
  (void)h_.Get("/nope");
  (void)h_.Get("/test/throw");
  (void)h_.Fail(testing::TooLarge());
  EXPECT_EQ(h_.stats().active_requests.load(), 0);
}

}  // namespace
}  // namespace atrium::dialects::unamentis
