#include "core/llm/model_catalog.hpp"

#include <gtest/gtest.h>

#include "support/fakes.hpp"

namespace atrium::core::llm {
namespace {

using std::chrono::seconds;

// Answers GETs with a settable result and counts the calls.
class CannedFetcher final : public net::HttpFetcher {
 public:
  explicit CannedFetcher(Result<net::FetchResponse> answer) : answer_(std::move(answer)) {}
  Result<net::FetchResponse> Get(const std::string& url,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 std::chrono::milliseconds) override {
    ++calls_;
    url_ = url;
    headers_ = headers;
    return answer_;
  }
  Result<net::FetchResponse> answer_;
  int calls_ = 0;
  std::string url_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

constexpr const char* kModels =
    R"({"object":"list","data":[{"id":"alpha","owned_by":"acme"},)"
    R"({"id":"beta","meta":{"n_ctx_train":4096}},{"id":"gamma","context_length":8192},{"object":"model"}]})";

UpstreamSettings Settings(std::string model = {}) {
  return {"http://h/v1/", "sk-x", std::move(model), std::chrono::milliseconds(100)};
}

TEST(ModelCatalogTest, ParsesTheListAndMarksTheConfiguredModel) {
  CannedFetcher fetcher(net::FetchResponse{200, kModels});
  testing::FakeClock clock;
  ModelCatalog catalog(Settings("beta"), fetcher, clock);
  const auto models = catalog.Models();
  ASSERT_TRUE(models) << models.error().internal_message();
  ASSERT_EQ(models->size(), 3u);  // the entry without an id is skipped
  EXPECT_EQ(fetcher.url_, "http://h/v1/models");
  EXPECT_EQ(fetcher.headers_, (std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer sk-x"}}));
  const auto& m = *models;
  EXPECT_EQ((m[0].id + "|" + m[0].owned_by), "alpha|acme");
  EXPECT_FALSE(m[0].context_length.has_value());
  EXPECT_FALSE(m[0].is_default);
  EXPECT_EQ(m[1].id, "beta");
  EXPECT_EQ(m[1].owned_by, "");
  EXPECT_EQ(m[1].context_length, std::optional<std::int64_t>(4096));
  EXPECT_TRUE(m[1].is_default);
  EXPECT_EQ(m[2].context_length, std::optional<std::int64_t>(8192));
  EXPECT_FALSE(m[2].is_default);
  EXPECT_EQ(catalog.DefaultModel(), "beta");
}

TEST(ModelCatalogTest, WithoutAConfiguredModelTheFirstIsDefault) {
  CannedFetcher fetcher(net::FetchResponse{200, kModels});
  testing::FakeClock clock;
  ModelCatalog catalog({"http://h/v1", "", "", std::chrono::milliseconds(100)}, fetcher, clock);
  const auto models = catalog.Models();
  ASSERT_TRUE(models);
  EXPECT_TRUE((*models)[0].is_default);
  EXPECT_FALSE((*models)[1].is_default);
  EXPECT_TRUE(fetcher.headers_.empty());
  EXPECT_EQ(catalog.DefaultModel(), "alpha");
}

TEST(ModelCatalogTest, CachesForTheTtlThenRefreshes) {
  CannedFetcher fetcher(net::FetchResponse{200, kModels});
  testing::FakeClock clock;
  ModelCatalog catalog(Settings(), fetcher, clock, seconds(60));
  ASSERT_TRUE(catalog.Models());
  clock.Advance(seconds(59));
  ASSERT_TRUE(catalog.Models());
  EXPECT_EQ(fetcher.calls_, 1);
  fetcher.answer_ = net::FetchResponse{200, R"({"data":[{"id":"delta"}]})"};
  clock.Advance(seconds(1));
  const auto models = catalog.Models();
  ASSERT_TRUE(models);
  EXPECT_EQ(fetcher.calls_, 2);
  ASSERT_EQ(models->size(), 1u);
  EXPECT_EQ((*models)[0].id, "delta");
}

TEST(ModelCatalogTest, AFailedRefreshServesTheLastListForTenMinutes) {
  CannedFetcher fetcher(net::FetchResponse{200, kModels});
  testing::FakeClock clock;
  ModelCatalog catalog(Settings(), fetcher, clock, seconds(60));
  ASSERT_TRUE(catalog.Models());
  fetcher.answer_ = net::FetchResponse{500, "boom"};
  clock.Advance(std::chrono::minutes(10));
  const auto stale = catalog.Models();
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->size(), 3u);
  EXPECT_EQ(fetcher.calls_, 2);
  clock.Advance(seconds(1));
  const auto failed = catalog.Models();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(failed.error().reason(), Reason::kLlmUnavailable);
  EXPECT_EQ(failed.error().safe_message(), "The LLM upstream is unavailable");
  EXPECT_EQ(failed.error().internal_message(), "model list: upstream answered 500");
}

TEST(ModelCatalogTest, UpstreamFailuresAreUnavailable) {
  struct Case {
    Result<net::FetchResponse> answer;
    std::string internal;
  };
  const std::vector<Case> cases = {
      {Error(ErrorCode::kUnavailable, "upstream unreachable", "connect: refused"), "model list: connect: refused"},
      {net::FetchResponse{401, "{}"}, "model list: upstream answered 401"},
      {net::FetchResponse{200, "not json"}, "model list: upstream did not answer a model list"},
      {net::FetchResponse{200, R"({"data":{}})"}, "model list: upstream did not answer a model list"},
  };
  for (const auto& c : cases) {
    CannedFetcher fetcher(c.answer);
    testing::FakeClock clock;
    ModelCatalog catalog(Settings(), fetcher, clock);
    const auto r = catalog.Models();
    ASSERT_FALSE(r) << c.internal;
    EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
    EXPECT_EQ(r.error().reason(), Reason::kLlmUnavailable);
    EXPECT_EQ(r.error().safe_message(), "The LLM upstream is unavailable");
    EXPECT_EQ(r.error().internal_message(), c.internal);
    EXPECT_EQ(catalog.DefaultModel(), "");
  }
}

// The spec groups models by provider, the id's prefix, even when the upstream (an
// aggregator) says it owns them all; a bare id is its owner's, else the upstream's.
TEST(ModelCatalogTest, TheProviderIsTheIdsPrefixThenOwnedByThenTheUpstream) {
  CannedFetcher fetcher(
      net::FetchResponse{200, R"({"data":[{"id":"anthropic/claude-3-sonnet","owned_by":"openrouter"},)"
                              R"({"id":"gpt-4o","owned_by":"openai"},{"id":"local"},{"id":"/odd","owned_by":"me"}]})"});
  testing::FakeClock clock;
  ModelCatalog catalog(Settings(), fetcher, clock);
  const auto models = catalog.Models();
  ASSERT_TRUE(models) << models.error().internal_message();
  ASSERT_EQ(models->size(), 4u);
  EXPECT_EQ((*models)[0].provider, "anthropic");
  EXPECT_EQ((*models)[0].owned_by, "openrouter");
  EXPECT_EQ((*models)[1].provider, "openai");
  EXPECT_EQ((*models)[2].provider, "default");
  EXPECT_EQ((*models)[3].provider, "me");
}

TEST(ModelCatalogTest, ReadsOpenRoutersDescriptiveFields) {
  CannedFetcher fetcher(net::FetchResponse{
      200, R"({"data":[{"id":"anthropic/claude-3-sonnet","name":"Claude 3 Sonnet","description":"Balanced",)"
           R"("context_length":200000,"pricing":{"prompt":"0.000003","completion":"0.000015"},)"
           R"("top_provider":{"context_length":200000,"max_completion_tokens":4096,"is_moderated":true},)"
           R"("architecture":{"modality":"text->text","tokenizer":"Claude","instruct_type":null}},)"
           R"({"id":"plain","top_provider":{"max_completion_tokens":null},"architecture":"odd","description":7}]})"});
  testing::FakeClock clock;
  ModelCatalog catalog(Settings(), fetcher, clock);
  const auto models = catalog.Models();
  ASSERT_TRUE(models) << models.error().internal_message();
  ASSERT_EQ(models->size(), 2u);
  const auto& c = (*models)[0];
  EXPECT_EQ(c.name, "Claude 3 Sonnet");
  EXPECT_EQ(c.description, "Balanced");
  EXPECT_EQ(c.provider, "anthropic");
  EXPECT_EQ(c.context_length, std::optional<std::int64_t>(200000));
  EXPECT_EQ(c.prompt_price, std::optional<double>(0.000003));
  EXPECT_EQ(c.completion_price, std::optional<double>(0.000015));
  EXPECT_EQ(c.max_completion_tokens, std::optional<std::int64_t>(4096));
  EXPECT_EQ(c.modality, "text->text");
  EXPECT_EQ(c.tokenizer, "Claude");
  EXPECT_EQ(c.instruct_type, "");  // null upstream
  const auto& p = (*models)[1];    // wrong types are left out, not guessed at
  EXPECT_EQ(p.name, "plain");
  EXPECT_EQ(p.description, "");
  EXPECT_FALSE(p.max_completion_tokens.has_value());
  EXPECT_EQ(p.modality, "");
}

TEST(ModelCatalogTest, RefreshAsksTheUpstreamWhateverTheCachesAge) {
  CannedFetcher fetcher(net::FetchResponse{200, kModels});
  testing::FakeClock clock;
  ModelCatalog catalog(Settings(), fetcher, clock, seconds(60));
  ASSERT_TRUE(catalog.Models());
  fetcher.answer_ = net::FetchResponse{200, R"({"data":[{"id":"delta"}]})"};
  const auto refreshed = catalog.Refresh();
  ASSERT_TRUE(refreshed);
  EXPECT_EQ(fetcher.calls_, 2);
  ASSERT_EQ(refreshed->size(), 1u);
  const auto cached = catalog.Models();  // the refreshed list is what is cached now
  ASSERT_TRUE(cached);
  EXPECT_EQ(fetcher.calls_, 2);
  EXPECT_EQ((*cached)[0].id, "delta");

  // A failed refresh reports the failure and keeps the cached list.
  fetcher.answer_ = net::FetchResponse{500, "boom"};
  const auto failed = catalog.Refresh();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().reason(), Reason::kLlmUnavailable);
  const auto kept = catalog.Models();
  ASSERT_TRUE(kept);
  EXPECT_EQ((*kept)[0].id, "delta");
  EXPECT_EQ(fetcher.calls_, 3);

  ModelCatalog unconfigured(UpstreamSettings{}, fetcher, clock);
  const auto none = unconfigured.Refresh();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().reason(), Reason::kLlmNotConfigured);
  EXPECT_EQ(fetcher.calls_, 3);
}

TEST(ModelCatalogTest, NotConfiguredNeverFetches) {
  CannedFetcher fetcher(net::FetchResponse{200, kModels});
  testing::FakeClock clock;
  ModelCatalog catalog(UpstreamSettings{}, fetcher, clock);
  const auto r = catalog.Models();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().reason(), Reason::kLlmNotConfigured);
  EXPECT_EQ(r.error().safe_message(), "No LLM upstream is configured");
  EXPECT_EQ(fetcher.calls_, 0);
}

}  // namespace
}  // namespace atrium::core::llm
