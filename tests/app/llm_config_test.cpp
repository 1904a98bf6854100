#include "app/llm_config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "support/temp_dir.hpp"

namespace atrium::app {
namespace {

class LlmConfigTest : public ::testing::Test {
 protected:
  core::Result<Config> Load(const std::string& toml, std::map<std::string, std::string> env = {}) {
    const std::string path = dir_.File("atrium.toml");
    std::ofstream(path) << toml;
    ConfigSources sources;
    sources.file_path = path;
    sources.env = [env](const std::string& name) -> std::optional<std::string> {
      if (auto it = env.find(name); it != env.end()) return it->second;
      return std::nullopt;
    };
    return LoadConfig(sources);
  }
  std::string Error(const std::string& toml) {
    auto r = Load(toml);
    if (r.ok()) {
      ADD_FAILURE() << "loaded";
      return "";
    }
    return r.error().safe_message();
  }
  testing::TempDir dir_;
};

TEST_F(LlmConfigTest, TheDefaultUpstreamAndNamedOnes) {
  auto c = Load(R"(
[llm]
base_url = "http://127.0.0.1:9/v1"
model = "fake-chat"
models = ["fake-chat", "fake-embed"]
max_concurrent = 4
max_queue = 8
max_retries = 1
retry_backoff_ms = 50
first_token_timeout_ms = 1500

[llm.pricing]
fake-chat = "1.5 2.5"

[llm.upstreams.openrouter]
base_url = "https://openrouter.ai/api/v1"
api_key_env = "OR_KEY"
models = ["anthropic/claude-3-sonnet"]
idle_timeout_ms = 9000

[llm.upstreams.openrouter.pricing]
"anthropic/claude-3-sonnet" = "3 15"
)",
                {{"OR_KEY", "sk-or-secret"}});
  ASSERT_TRUE(c) << c.error().safe_message();
  const auto ups = GatewayUpstreams(*c);
  ASSERT_EQ(ups.size(), 2u);
  EXPECT_EQ(ups[0].name, "default");
  EXPECT_EQ(ups[0].settings.model, "fake-chat");
  EXPECT_EQ(ups[0].models, (std::vector<std::string>{"fake-chat", "fake-embed"}));
  EXPECT_EQ(ups[0].max_concurrent, 4u);
  EXPECT_EQ(ups[0].max_queue, 8u);
  EXPECT_EQ(ups[0].max_retries, 1);
  EXPECT_EQ(ups[0].retry_backoff, std::chrono::milliseconds(50));
  EXPECT_EQ(ups[0].first_token_timeout, std::chrono::milliseconds(1500));
  EXPECT_DOUBLE_EQ(ups[0].pricing.at("fake-chat").prompt, 1.5e-6);
  EXPECT_DOUBLE_EQ(ups[0].pricing.at("fake-chat").completion, 2.5e-6);
  EXPECT_EQ(ups[1].name, "openrouter");
  EXPECT_EQ(ups[1].settings.api_key, "sk-or-secret");
  EXPECT_EQ(ups[1].idle_timeout, std::chrono::milliseconds(9000));
  EXPECT_DOUBLE_EQ(ups[1].pricing.at("anthropic/claude-3-sonnet").completion, 15e-6);
}

TEST_F(LlmConfigTest, NoUpstreamWithoutABaseUrl) {
  auto c = Load("");
  ASSERT_TRUE(c);
  EXPECT_TRUE(GatewayUpstreams(*c).empty());
}

TEST_F(LlmConfigTest, ErrorsAreOneLineNamingTheKey) {
  EXPECT_EQ(Error("[llm.pricing]\nm = \"cheap\"\n"),
            "llm.pricing: model 'm': must be \"<prompt> <completion>\" in USD per million tokens (got 'cheap')");
  EXPECT_EQ(Error("[llm.upstreams.x]\nmodels = []\n"), "llm.upstreams.x.base_url: must be an http:// or https:// URL");
  EXPECT_EQ(Error("[llm.upstreams.x]\nbase_url = \"http://h\"\nspeed = 3\n"), "llm.upstreams.x.speed: unknown setting");
  EXPECT_EQ(Error("[llm.upstreams.x]\nbase_url = \"http://h\"\nmax_retries = 11\n"),
            "llm.upstreams.x.max_retries: must be between 0 and 10 (got 11)");
  EXPECT_EQ(Error("[llm.upstreams.x]\nbase_url = \"http://h\"\napi_key_env = \"NOPE\"\n"),
            "llm.upstreams.x.api_key_env: environment variable NOPE is not set");
  EXPECT_EQ(Error("[llm.upstreams.default]\nbase_url = \"http://h\"\n"),
            "llm.upstreams.default: 'default' is the upstream of the llm.* keys; pick another name");
  EXPECT_EQ(Error("[llm]\nmax_queue = -1\n"), "llm.max_queue: must be between 0 and 1000000 (got -1)");
}

TEST(PricingTest, ParsesUsdPerMillionTokens) {
  auto p = ParsePricing(" 0.5  1 ");
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->prompt, 0.5e-6);
  EXPECT_DOUBLE_EQ(p->completion, 1e-6);
  EXPECT_FALSE(ParsePricing("1"));
  EXPECT_FALSE(ParsePricing("1 2 3"));
  EXPECT_FALSE(ParsePricing("-1 2"));
}

}  // namespace
}  // namespace atrium::app
