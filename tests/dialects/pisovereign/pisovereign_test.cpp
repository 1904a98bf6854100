#include "dialects/pisovereign/pisovereign.hpp"

#include "dialects/dialect_harness.hpp"

namespace atrium::dialects::pisovereign {
namespace {

using http::Method;
using testing::ExpectJson;

class PisovereignTest : public ::testing::Test {
 protected:
  testing::DialectHarness h_{testing::Pisovereign()};
};

TEST_F(PisovereignTest, UnknownRouteIs404) {
  const auto r = h_.Get("/v1/nope");
  ExpectJson(r, 404, R"({"error":{"code":"NOT_FOUND","message":"Not found","details":{},"request_id":"req-1"}})");
  EXPECT_EQ(r.headers.Get("X-Request-Id"), "req-1");
}

TEST_F(PisovereignTest, WrongMethodIs405WithAllow) {
  const auto r = h_.Send(h_.Make(Method::kPost, "/health"));
  ExpectJson(
      r, 405,
      R"({"error":{"code":"METHOD_NOT_ALLOWED","message":"Method not allowed","details":{},"request_id":"req-1"}})");
  EXPECT_EQ(r.headers.Get("Allow"), "GET, HEAD, OPTIONS");
}

TEST_F(PisovereignTest, MalformedJsonIs400) {
  ExpectJson(
      h_.PostJson("/test/echo", "{"), 400,
      R"({"error":{"code":"BAD_REQUEST","message":"Malformed JSON in request body","details":{},"request_id":"req-1"}})");
}

TEST_F(PisovereignTest, WrongContentTypeIs415) {
  ExpectJson(
      h_.Send(h_.Make(Method::kPost, "/test/echo", "{}", "text/plain")), 415,
      R"({"error":{"code":"UNSUPPORTED_MEDIA_TYPE","message":"Content-Type must be application/json","details":{},"request_id":"req-1"}})");
}

TEST_F(PisovereignTest, PayloadTooLargeIs413) {
  ExpectJson(
      h_.Fail(testing::TooLarge()), 413,
      R"({"error":{"code":"PAYLOAD_TOO_LARGE","message":"Request body exceeds 65536 bytes","details":{},"request_id":"req-1"}})");
}

TEST_F(PisovereignTest, ThrowingHandlerIs500WithoutDetail) {
  const auto r = h_.Get("/test/throw");
  ExpectJson(
      r, 500,
      R"({"error":{"code":"INTERNAL_ERROR","message":"Internal server error","details":{},"request_id":"req-1"}})");
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
}

TEST_F(PisovereignTest, ValidationIs422) {
  ExpectJson(h_.PostJson("/test/validate", "{}"), 422,
             R"({"error":{"code":"VALIDATION_ERROR","message":"name is required","details":{},"request_id":"req-1"}})");
}

TEST_F(PisovereignTest, HealthBody) {
  const auto r = h_.Get("/health");
  ExpectJson(r, 200, R"({"status":"ok"})");
  EXPECT_FALSE(http::Site::Blocks(h_.site().Match(h_.Make(Method::kGet, "/health"))));
}

TEST_F(PisovereignTest, ReadyFollowsTheInferenceEngine) {
  ExpectJson(h_.Get("/ready"), 503,
             R"({"status":"not_ready","inference":{"healthy":false,"latency_ms":0,"error":"not configured"}})");
}

TEST_F(PisovereignTest, ReadyAllListsEveryProbe) {
  ExpectJson(h_.Get("/ready/all"), 200, R"({"status":"degraded",
      "services":{"database":{"healthy":true,"latency_ms":0},
                  "blobs":{"healthy":true,"latency_ms":0},
                  "inference":{"healthy":false,"latency_ms":0,"error":"not configured"}},
      "latency_percentiles":{"p50_ms":0,"p90_ms":0,"p99_ms":0}})");
  std::filesystem::remove_all(h_.blobs_dir());
  // The first call took 0 ms; quantiles interpolate inside the [0, 1] ms bucket and
  // round, so p50 = 0.5 ms and above all show as 1.
  ExpectJson(h_.Get("/ready/all"), 200, R"({"status":"not_ready",
      "services":{"database":{"healthy":true,"latency_ms":0},
                  "blobs":{"healthy":false,"latency_ms":0,"error":"not writable"},
                  "inference":{"healthy":false,"latency_ms":0,"error":"not configured"}},
      "latency_percentiles":{"p50_ms":1,"p90_ms":1,"p99_ms":1}})");
}

TEST_F(PisovereignTest, MetricsJsonTotals) {
  ExpectJson(h_.Get("/health"), 200, R"({"status":"ok"})");
  EXPECT_EQ(h_.Get("/nope").status, 404);
  EXPECT_EQ(h_.Get("/test/throw").status, 500);
  h_.inference().Record(true, std::chrono::milliseconds{1200}, 40, 100);
  h_.inference().Record(false, std::chrono::milliseconds{800}, 3, 5);
  h_.clock().Advance(std::chrono::seconds{42});
  ExpectJson(h_.Get("/metrics"), 200, R"({"uptime_seconds":42,
      "http":{"requests_total":3,"requests_success":1,"requests_client_error":1,"requests_server_error":1,
              "active_requests":1,"response_time_avg_ms":0,
              "dialects":{"pisovereign":{"requests_total":3,"active_requests":1}}},
      "inference":{"requests_total":2,"requests_success":1,"requests_failed":1,"time_avg_ms":1000,
                   "tokens_total":148,"healthy":false}})");
}

TEST_F(PisovereignTest, PrometheusRouteServesTextFormat) {
  const auto r = h_.Get("/metrics/prometheus");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(r.body.rfind("# HELP app_uptime_seconds Application uptime in seconds\n", 0), 0u);
}

}  // namespace
}  // namespace atrium::dialects::pisovereign
