#include "core/assistants/assistant_config.hpp"

#include <gtest/gtest.h>

namespace atrium::core::assistants {
namespace {

ConfigFields Valid() {
  ConfigFields f;
  f.name = "Code Assistant";
  f.model_id = "anthropic/claude-3-sonnet";
  return f;
}

void ExpectInvalid(const ConfigFields& f, bool creating, const std::string& message) {
  auto r = Validate(f, creating);
  ASSERT_FALSE(r.ok()) << message;
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().safe_message(), message);
}

TEST(AssistantConfigTest, CharCountCountsCodePoints) {
  EXPECT_EQ(CharCount(""), 0u);
  EXPECT_EQ(CharCount("abc"), 3u);
  EXPECT_EQ(CharCount("\xC3\xA9t\xC3\xA9"), 3u);  // "été"
  EXPECT_EQ(CharCount("\xF0\x9F\xA4\x96"), 1u);   // one emoji, four bytes
}

TEST(AssistantConfigTest, CreatingNeedsNameAndModel) {
  EXPECT_TRUE(Validate(Valid(), true).ok());
  ConfigFields f = Valid();
  f.name.reset();
  ExpectInvalid(f, true, "name is required");
  EXPECT_TRUE(Validate(f, false).ok());  // an update may leave it out
  f = Valid();
  f.model_id.reset();
  ExpectInvalid(f, true, "model_id is required");
}

TEST(AssistantConfigTest, TextLimits) {
  ConfigFields f = Valid();
  f.name = "   ";
  ExpectInvalid(f, false, "name must be 1-100 characters");
  f.name = std::string(100, 'n');
  EXPECT_TRUE(Validate(f, false).ok());
  f.name = std::string(101, 'n');
  ExpectInvalid(f, false, "name must be 1-100 characters");

  f = Valid();
  f.system_prompt = std::string(10000, 'p');
  EXPECT_TRUE(Validate(f, true).ok());
  f.system_prompt = std::string(10001, 'p');
  ExpectInvalid(f, true, "system_prompt must be at most 10000 characters");
  std::string accents;
  for (int i = 0; i < 10000; ++i) accents += "\xC3\xA9";
  f.system_prompt = accents;  // 20,000 bytes, 10,000 characters
  EXPECT_TRUE(Validate(f, true).ok());

  f = Valid();
  f.model_id = "bad\tmodel";
  ExpectInvalid(f, true, "model_id must not contain spaces or control characters");
}

TEST(AssistantConfigTest, ParameterRanges) {
  struct Case {
    Parameters p;
    const char* message;  // nullptr: valid
  };
  const Case cases[] = {
      {{.temperature = 0.0}, nullptr},
      {{.temperature = 2.0}, nullptr},
      {{.temperature = 2.01}, "parameters.temperature must be between 0 and 2"},
      {{.temperature = -0.1}, "parameters.temperature must be between 0 and 2"},
      {{.temperature = std::numeric_limits<double>::quiet_NaN()}, "parameters.temperature must be between 0 and 2"},
      {{.max_tokens = 1}, nullptr},
      {{.max_tokens = 0}, "parameters.max_tokens must be between 1 and 1000000"},
      {{.max_tokens = 1'000'001}, "parameters.max_tokens must be between 1 and 1000000"},
      {{.top_p = 1.0}, nullptr},
      {{.top_p = 1.5}, "parameters.top_p must be between 0 and 1"},
      {{.frequency_penalty = -2.0}, nullptr},
      {{.frequency_penalty = -2.5}, "parameters.frequency_penalty must be between -2 and 2"},
      {{.presence_penalty = 2.5}, "parameters.presence_penalty must be between -2 and 2"},
  };
  for (const auto& c : cases) {
    ConfigFields f = Valid();
    f.parameters = c.p;
    if (c.message == nullptr) {
      EXPECT_TRUE(Validate(f, true).ok());
    } else {
      ExpectInvalid(f, true, c.message);
    }
  }
}

TEST(AssistantConfigTest, TagsAreNormalisedAndBounded) {
  ConfigFields f = Valid();
  f.tags = std::vector<std::string>{" Coding ", "coding", "DEV"};
  ASSERT_TRUE(Validate(f, true).ok());
  AssistantConfig c;
  Apply(f, c);
  EXPECT_EQ(c.tags, (std::vector<std::string>{"coding", "dev"}));

  f.tags = std::vector<std::string>(21, "t");
  ExpectInvalid(f, true, "at most 20 tags");
  f.tags = std::vector<std::string>{"a,b"};
  ExpectInvalid(f, true, "tags must not contain commas");
  f.tags = std::vector<std::string>{"  "};
  ExpectInvalid(f, true, "each tag must be 1-50 characters");
}

TEST(AssistantConfigTest, ApplyMergesParametersOneByOne) {
  AssistantConfig c;
  c.parameters = {.temperature = 0.7, .max_tokens = 2048, .top_p = 1.0};
  ConfigFields f;
  f.parameters = Parameters{.temperature = 1.2};
  Apply(f, c);
  EXPECT_EQ(c.parameters, (Parameters{.temperature = 1.2, .max_tokens = 2048, .top_p = 1.0}));
  EXPECT_EQ(VisibilityName(Visibility::kTemplate), "template");
}

}  // namespace
}  // namespace atrium::core::assistants
