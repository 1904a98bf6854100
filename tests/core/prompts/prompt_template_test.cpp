#include "core/prompts/prompt_template.hpp"

#include <gtest/gtest.h>

namespace atrium::core::prompts {
namespace {

using Names = std::vector<std::string>;

TEST(PromptTemplateTest, ExtractsPlaceholdersInOrderOnce) {
  EXPECT_EQ(ExtractVariables("Create compelling marketing copy for {product} targeting {audience}..."),
            (Names{"product", "audience"}));
  EXPECT_EQ(ExtractVariables("{a} {b} {a} {_c9}"), (Names{"a", "b", "_c9"}));
  EXPECT_EQ(ExtractVariables("no placeholders"), Names{});
  EXPECT_EQ(ExtractVariables(""), Names{});
}

TEST(PromptTemplateTest, OtherBracesArePlainText) {
  EXPECT_EQ(ExtractVariables(R"(JSON {"key": 1} and {1} and { spaced } and {a-b})"), Names{});
  EXPECT_EQ(ExtractVariables("escaped {{literal}} but {real}"), Names{"real"});
  EXPECT_EQ(ExtractVariables("unclosed {name"), Names{});
  EXPECT_EQ(ExtractVariables("{{unterminated"), Names{});
  EXPECT_EQ(ExtractVariables("{{x}}{y}"), Names{"y"});
  EXPECT_EQ(ExtractVariables("{outer {inner}}"), Names{"inner"});
  EXPECT_EQ(ExtractVariables("}{a}{"), Names{"a"});
}

TEST(PromptTemplateTest, ValidateAndApply) {
  TemplateFields f;
  f.name = "n";
  f.category = "c";
  auto r = Validate(f, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().safe_message(), "template_text is required");
  f.template_text = "Hi {name}";
  EXPECT_TRUE(Validate(f, true).ok());
  f.category = " ";
  r = Validate(f, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().safe_message(), "category must not be empty");
  f.category = " Marketing ";
  f.template_text = std::string(10001, 'x');
  r = Validate(f, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().safe_message(), "template_text must be at most 10000 characters");
  f.template_text = "Write about {topic} for {audience}";
  PromptTemplate t;
  Apply(f, t);
  EXPECT_EQ(t.category, "marketing");
  EXPECT_EQ(t.variables, (Names{"topic", "audience"}));
  TemplateFields only_active;
  only_active.is_active = false;
  EXPECT_TRUE(Validate(only_active, false).ok());
  Apply(only_active, t);
  EXPECT_FALSE(t.is_active);
  EXPECT_EQ(t.template_text, "Write about {topic} for {audience}");
}

}  // namespace
}  // namespace atrium::core::prompts
