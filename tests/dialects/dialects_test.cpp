// Behaviour every dialect shares, whatever its error shape.

#include "dialects/dialect_harness.hpp"

namespace atrium::dialects {
namespace {

using http::Method;

struct Case {
  testing::DialectSpec (*spec)();
  const char* health_path;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.spec().name; }

class EveryDialectTest : public ::testing::TestWithParam<Case> {
 protected:
  testing::DialectHarness h_{GetParam().spec(), http::CorsOptions{.allowed_origins = {"https://app.example"}}};
};

TEST_P(EveryDialectTest, ErrorsAreJsonWithRequestIdAndActiveRequestsBalance) {
  std::vector<http::Response> responses;
  responses.push_back(h_.Get("/nope"));
  responses.push_back(h_.Send(h_.Make(Method::kDelete, GetParam().health_path)));
  responses.push_back(h_.PostJson("/test/echo", "{"));
  responses.push_back(h_.Send(h_.Make(Method::kPost, "/test/echo", "{}", "text/plain")));
  responses.push_back(h_.Fail(testing::TooLarge()));
  responses.push_back(h_.Get("/test/throw"));
  const std::vector<int> statuses = {404, 405, 400, 415, 413, 500};
  ASSERT_EQ(responses.size(), statuses.size());
  for (std::size_t i = 0; i < responses.size(); ++i) {
    const auto& r = responses[i];
    EXPECT_EQ(r.status, statuses[i]);
    EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
    EXPECT_EQ(r.headers.Get("X-Request-Id"), "req-1");
    boost::system::error_code ec;
    const auto body = boost::json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    EXPECT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
  }
  EXPECT_EQ(h_.stats().active_requests.load(), 0);
  // 404, 405 and 413 have no route; 400, 415 and 500 were answered by routes.
  using Counts = std::array<std::uint64_t, core::metrics::kStatusClasses>;
  EXPECT_EQ(h_.stats().unmatched.StatusCounts(), (Counts{0, 0, 0, 3, 0}));
  EXPECT_EQ(h_.metrics().Route(h_.site().name(), "POST", "/test/echo")->StatusCounts(), (Counts{0, 0, 0, 2, 0}));
  EXPECT_EQ(h_.metrics().Route(h_.site().name(), "GET", "/test/throw")->StatusCounts(), (Counts{0, 0, 0, 0, 1}));
}

TEST_P(EveryDialectTest, HealthAnswersGetAndHead) {
  const auto get = h_.Get(GetParam().health_path);
  const auto head = h_.Send(h_.Make(Method::kHead, GetParam().health_path));
  EXPECT_EQ(get.status, head.status);
  EXPECT_TRUE(get.status == 200 || get.status == 503) << get.status;
  EXPECT_EQ(h_.Send(h_.Make(Method::kOptions, GetParam().health_path)).headers.Get("Allow"), "GET, HEAD, OPTIONS");
}

TEST_P(EveryDialectTest, AllowlistedOriginSeesErrors) {
  http::Request req = h_.Make(Method::kGet, "/nope");
  req.headers.Add("Origin", "https://app.example");
  const auto r = h_.Send(std::move(req));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(r.headers.Get("Vary"), "Origin");
}

TEST_P(EveryDialectTest, InsaneRequestIdIsReplaced) {
  const auto r = h_.Send(h_.Make(Method::kGet, "/nope"), "two words");
  EXPECT_EQ(r.headers.Get("X-Request-Id"), "00010203-0405-4607-8809-0a0b0c0d0e0f");
}

INSTANTIATE_TEST_SUITE_P(Dialects, EveryDialectTest,
                         ::testing::Values(Case{testing::Unamentis, "/health"}, Case{testing::Unichat, "/api/health"},
                                           Case{testing::Secondbrain, "/api/health"},
                                           Case{testing::Pisovereign, "/health"},
                                           Case{testing::Mira, "/api/v1/health"}),
                         [](const ::testing::TestParamInfo<Case>& param) { return param.param.spec().name; });

}  // namespace
}  // namespace atrium::dialects
