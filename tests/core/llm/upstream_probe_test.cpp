#include "core/llm/upstream_probe.hpp"

#include <gtest/gtest.h>

#include "support/fakes.hpp"

namespace atrium::core::llm {
namespace {

// Answers every GET with a canned result and remembers what it was asked.
class CannedFetcher final : public net::HttpFetcher {
 public:
  explicit CannedFetcher(Result<net::FetchResponse> answer) : answer_(std::move(answer)) {}
  Result<net::FetchResponse> Get(const std::string& url,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 std::chrono::milliseconds timeout) override {
    url_ = url;
    headers_ = headers;
    timeout_ = timeout;
    return answer_;
  }
  Result<net::FetchResponse> answer_;
  std::string url_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::chrono::milliseconds timeout_{0};
};

constexpr const char* kModels = R"({"object":"list","data":[{"id":"alpha","object":"model"},{"id":"beta"}]})";

health::ProbeResult Probe(CannedFetcher& fetcher, UpstreamSettings settings) {
  testing::FakeClock clock;
  UpstreamProbe probe(std::move(settings), fetcher, clock);
  EXPECT_EQ(probe.name(), "inference");
  EXPECT_FALSE(probe.critical());
  return probe.Check();
}

TEST(UpstreamProbeTest, HealthyWithTheConfiguredModel) {
  CannedFetcher fetcher(net::FetchResponse{200, kModels});
  const auto r = Probe(fetcher, {"http://127.0.0.1:8080/v1/", "sk-x", "beta", std::chrono::milliseconds(1500)});
  EXPECT_TRUE(r.healthy);
  EXPECT_EQ(r.label, "beta");
  EXPECT_EQ(r.detail, "");
  EXPECT_EQ(fetcher.url_, "http://127.0.0.1:8080/v1/models");
  EXPECT_EQ(fetcher.headers_, (std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer sk-x"}}));
  EXPECT_EQ(fetcher.timeout_, std::chrono::milliseconds(1500));
}

TEST(UpstreamProbeTest, WithoutAModelTheFirstListedIsReported) {
  CannedFetcher fetcher(net::FetchResponse{200, kModels});
  const auto r = Probe(fetcher, {"http://h/v1", "", "", std::chrono::milliseconds(100)});
  EXPECT_TRUE(r.healthy);
  EXPECT_EQ(r.label, "alpha");
  EXPECT_TRUE(fetcher.headers_.empty());  // no key, no Authorization header
}

TEST(UpstreamProbeTest, FailuresSayWhy) {
  struct Case {
    Result<net::FetchResponse> answer;
    std::string model;
    std::string detail;
  };
  const std::vector<Case> cases = {
      {net::FetchResponse{200, kModels}, "gamma", "model 'gamma' is not offered by the upstream"},
      {net::FetchResponse{503, "busy"}, "", "upstream answered 503"},
      {net::FetchResponse{200, "not json"}, "", "upstream did not answer a model list"},
      {net::FetchResponse{200, R"({"data":{}})"}, "", "upstream did not answer a model list"},
      {Error(ErrorCode::kUnavailable, "upstream unreachable", "connection refused"), "", "upstream unreachable"},
  };
  for (const auto& c : cases) {
    CannedFetcher fetcher(c.answer);
    const auto r = Probe(fetcher, {"http://h/v1", "", c.model, std::chrono::milliseconds(100)});
    EXPECT_FALSE(r.healthy) << c.detail;
    EXPECT_EQ(r.detail, c.detail);
  }
}

}  // namespace
}  // namespace atrium::core::llm
