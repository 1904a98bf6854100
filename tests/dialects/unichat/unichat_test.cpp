#include "dialects/unichat/unichat.hpp"

#include "dialects/dialect_harness.hpp"

namespace atrium::dialects::unichat {
namespace {

using http::Method;
using testing::ExpectJson;

class UnichatTest : public ::testing::Test {
 protected:
  testing::DialectHarness h_{testing::Unichat()};
};

TEST_F(UnichatTest, UnknownRouteIs404) {
  const auto r = h_.Get("/nope");
  ExpectJson(r, 404, R"({"error":"Not found"})");
  EXPECT_EQ(r.headers.Get("X-Request-Id"), "req-1");
}

TEST_F(UnichatTest, WrongMethodIs405WithAllow) {
  const auto r = h_.Send(h_.Make(Method::kDelete, "/api/health"));
  ExpectJson(r, 405, R"({"error":"Method not allowed"})");
  EXPECT_EQ(r.headers.Get("Allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(h_.Get("/test/echo").headers.Get("Allow"), "POST, OPTIONS");
}

TEST_F(UnichatTest, MalformedJsonIs400) {
  ExpectJson(h_.PostJson("/test/echo", "[1,"), 400, R"({"error":"Malformed JSON in request body"})");
  ExpectJson(h_.PostJson("/test/echo", ""), 400, R"({"error":"Request body must be JSON"})");
  ExpectJson(h_.PostJson("/test/echo", "[1]"), 400, R"({"error":"Request body must be a JSON object"})");
}

TEST_F(UnichatTest, WrongContentTypeIs415) {
  ExpectJson(h_.Send(h_.Make(Method::kPost, "/test/echo", "{}", "application/x-www-form-urlencoded")), 415,
             R"({"error":"Content-Type must be application/json"})");
}

TEST_F(UnichatTest, PayloadTooLargeIs413) {
  ExpectJson(h_.Fail(testing::TooLarge()), 413, R"({"error":"Request body exceeds 65536 bytes"})");
}

TEST_F(UnichatTest, ThrowingHandlerIs500WithoutDetail) {
  const auto r = h_.Get("/test/throw");
  ExpectJson(r, 500, R"({"error":"Internal server error"})");
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
}

TEST_F(UnichatTest, ValidationIs400) {
  ExpectJson(h_.PostJson("/test/validate", "{}"), 400, R"({"error":"name is required"})");
}

TEST_F(UnichatTest, HealthBody) {
  h_.clock().Advance(std::chrono::seconds{42});
  ExpectJson(h_.Get("/api/health"), 200,
             R"({"status":"healthy","timestamp":"2024-05-06T07:08:51Z","version":"9.9.9-test"})");
  ExpectJson(h_.Get("/api/health/"), 200,
             R"({"status":"healthy","timestamp":"2024-05-06T07:08:51Z","version":"9.9.9-test"})");
}

TEST_F(UnichatTest, CorsPreflightIsAnsweredFromTheAllowlist) {
  testing::DialectHarness cors_h(testing::Unichat(), http::CorsOptions{.allowed_origins = {"https://chat.example"}});
  http::Request pre = cors_h.Make(Method::kOptions, "/api/health");
  pre.headers.Add("Origin", "https://chat.example");
  pre.headers.Add("Access-Control-Request-Method", "GET");
  const auto r = cors_h.Send(std::move(pre));
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Origin"), "https://chat.example");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Methods"), "GET, HEAD");
}

TEST_F(UnichatTest, ModelAndAnalyticsRoutesNeedATokenAndKeepTheirMethods) {
  for (const char* path : {"/api/models", "/api/models/categories", "/api/models/fake-chat",
                           "/api/models/anthropic/claude-3-sonnet", "/api/models/anthropic%2Fclaude-3-sonnet",
                           "/api/admin/analytics", "/api/admin/analytics/costs", "/api/admin/analytics/timeseries"}) {
    EXPECT_EQ(h_.Get(path).status, 401) << path;
  }
  EXPECT_EQ(h_.PostJson("/api/models/refresh", "{}").status, 401);
  EXPECT_EQ(h_.PostJson("/api/configs/enhance-prompt", R"({"prompt":"x"})").status, 401);
  EXPECT_EQ(h_.Send(h_.Make(Method::kDelete, "/api/models")).status, 405);
  EXPECT_EQ(h_.Send(h_.Make(Method::kPost, "/api/admin/analytics")).status, 405);
  EXPECT_EQ(h_.Get("/api/models/a/b/c").status, 404);  // ids have at most one slash
}

}  // namespace
}  // namespace atrium::dialects::unichat
