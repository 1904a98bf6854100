// Behaviour every dialect shares, whatever its error shape: run for each dialect of
// app/dialect_list.hpp, so a dialect added there is tested here without more code.

#include <set>

#include "dialects/dialect_harness.hpp"

namespace atrium::dialects {
namespace {

using http::Method;

// A GET-only route of the dialect: its health check where it has one.
std::string HealthPath(std::string_view dialect) {
  if (dialect == unamentis::kName || dialect == pisovereign::kName) return "/health";
  if (dialect == unichat::kName || dialect == secondbrain::kName) return "/api/health";
  if (dialect == mira::kName) return "/api/v1/health";
  return "";  // openai has none
}
// A route that answers GET only (405 for other methods).
std::string GetOnlyPath(std::string_view dialect) {
  const std::string health = HealthPath(dialect);
  return health.empty() ? "/v1/models" : health;
}

class EveryDialectTest : public ::testing::TestWithParam<const DialectInfo*> {
 protected:
  testing::DialectHarness h_{*GetParam(), http::CorsOptions{.allowed_origins = {"https://app.example"}}};
};

TEST_P(EveryDialectTest, ErrorsAreJsonWithRequestIdAndActiveRequestsBalance) {
  std::vector<http::Response> responses;
  responses.push_back(h_.Get("/nope"));
  responses.push_back(h_.Send(h_.Make(Method::kDelete, GetOnlyPath(GetParam()->name))));
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
  const std::string path = HealthPath(GetParam()->name);
  if (path.empty()) GTEST_SKIP() << "no health route";
  const auto get = h_.Get(path);
  const auto head = h_.Send(h_.Make(Method::kHead, path));
  EXPECT_EQ(get.status, head.status);
  EXPECT_TRUE(get.status == 200 || get.status == 503) << get.status;
  EXPECT_EQ(h_.Send(h_.Make(Method::kOptions, path)).headers.Get("Allow"), "GET, HEAD, OPTIONS");
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

TEST_P(EveryDialectTest, ModuleServesItsListedNameAndEveryListener) {
  EXPECT_EQ(h_.site().name(), GetParam()->name);
  for (std::size_t i = 1; i < GetParam()->listener_count; ++i) {
    testing::DialectHarness other(*GetParam(), {}, i);
    EXPECT_EQ(other.site().name(), GetParam()->listeners[i].site_name);
    EXPECT_EQ(other.Get("/nope").status, 404);
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, EveryDialectTest, ::testing::ValuesIn(app::kDialects),
                         [](const ::testing::TestParamInfo<const DialectInfo*>& param) {
                           return std::string(param.param->name);
                         });

TEST(DialectListTest, NamesAndDefaultPortsAreDistinct) {
  std::set<std::string_view> names;
  std::set<int> ports;
  std::size_t listeners = 0;
  for (const DialectInfo* info : app::kDialects) {
    EXPECT_TRUE(names.insert(info->name).second) << info->name;
    EXPECT_EQ(info->main().port_key, "port");
    for (std::size_t i = 0; i < info->listener_count; ++i) {
      EXPECT_TRUE(ports.insert(info->listeners[i].default_port).second) << info->listeners[i].site_name;
      ++listeners;
    }
  }
  EXPECT_EQ(ports.size(), listeners);
}

}  // namespace
}  // namespace atrium::dialects
