#include "core/assistants/prompt_enhancer.hpp"

#include <gtest/gtest.h>

#include "core/chat/chat_fixture.hpp"

namespace atrium::core::assistants {
namespace {

using chat::kAlice;
using chat::kBob;

// Answers Generate with a set result and keeps the requests.
class OneShotGenerator final : public llm::Generator {
 public:
  Result<llm::GenerationResult> Generate(const llm::GenerationRequest& request) override {
    requests.push_back(request);
    return answer;
  }
  Result<std::shared_ptr<llm::GenerationHandle>> Stream(const llm::GenerationRequest&, llm::GenerationSink) override {
    return Error(ErrorCode::kInternal, "not used");
  }
  std::string DefaultModel() override { return "fake-model"; }

  Result<llm::GenerationResult> answer = llm::GenerationResult{};
  std::vector<llm::GenerationRequest> requests;
};

llm::GenerationResult Answer(std::string content, std::int64_t prompt_tokens, std::int64_t completion_tokens) {
  llm::GenerationResult r;
  r.model = "fake-model";
  r.content = std::move(content);
  r.usage = {prompt_tokens, completion_tokens, prompt_tokens + completion_tokens, false};
  return r;
}

class PromptEnhancerTest : public chat::ChatDatabase {
 protected:
  std::int64_t TokensUsed(const char* user) {
    return Count(std::string("SELECT tokens_used FROM users WHERE id = '") + user + "'");
  }
  OneShotGenerator generator_;
};

TEST_F(PromptEnhancerTest, SendsTheInstructionAndThePromptAndChargesTheUser) {
  generator_.answer = Answer("\n  You are a precise, friendly assistant.  \n", 70, 6);
  auto r = EnhancePrompt(generator_, *store_, kAlice, "be helpful");
  ASSERT_TRUE(r.ok()) << r.error().internal_message();
  EXPECT_EQ(r->prompt, "You are a precise, friendly assistant.");
  EXPECT_EQ(r->usage.total_tokens, 76);
  ASSERT_EQ(generator_.requests.size(), 1u);
  const auto& req = generator_.requests[0];
  EXPECT_EQ(req.model, "");  // the default model
  EXPECT_EQ(req.system_prompt, kEnhanceInstruction);
  ASSERT_EQ(req.messages.size(), 1u);
  EXPECT_EQ(req.messages[0].role, "user");
  EXPECT_EQ(req.messages[0].content, "be helpful");
  EXPECT_EQ(req.user, kAlice);
  EXPECT_FALSE(req.sampling.max_tokens.has_value());  // unlimited account
  EXPECT_EQ(TokensUsed(kAlice), 76);
  EXPECT_EQ(TokensUsed(kBob), 0);
}

TEST_F(PromptEnhancerTest, LengthIsCountedInCharactersNotBytes) {
  generator_.answer = Answer("ok", 1, 1);
  // 10,000 two-byte characters (20,000 bytes) are allowed; one more is not.
  std::string at_limit;
  for (int i = 0; i < 10000; ++i) at_limit += "\xC3\xA9";
  EXPECT_TRUE(EnhancePrompt(generator_, *store_, kAlice, at_limit).ok());
  auto over = EnhancePrompt(generator_, *store_, kAlice, at_limit + "a");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(over.error().safe_message(), "Prompt too long (max 10000 characters)");
  for (const char* blank : {"", "  \n\t "}) {
    auto r = EnhancePrompt(generator_, *store_, kAlice, blank);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().safe_message(), "Prompt is required");
  }
  EXPECT_EQ(generator_.requests.size(), 1u);  // refused prompts never reach the model
}

TEST_F(PromptEnhancerTest, ASpentBudgetIsRefusedAndTheRestCapsTheAnswer) {
  ASSERT_TRUE(db_->Execute("UPDATE users SET tokens_limit = 100, tokens_used = 60 WHERE id = ?", {kAlice}).ok());
  generator_.answer = Answer("better", 30, 1);
  ASSERT_TRUE(EnhancePrompt(generator_, *store_, kAlice, "x").ok());
  EXPECT_EQ(generator_.requests[0].sampling.max_tokens, std::optional<std::int64_t>(40));
  EXPECT_EQ(TokensUsed(kAlice), 91);
  ASSERT_TRUE(db_->Execute("UPDATE users SET tokens_used = 100 WHERE id = ?", {kAlice}).ok());
  auto r = EnhancePrompt(generator_, *store_, kAlice, "x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(r.error().reason(), Reason::kTokenLimitExceeded);
  EXPECT_EQ(generator_.requests.size(), 1u);
}

TEST_F(PromptEnhancerTest, UpstreamFailuresPassThroughAndChargeNothing) {
  generator_.answer =
      Error(ErrorCode::kUnavailable, "The LLM upstream is unavailable", "boom").WithReason(Reason::kLlmUnavailable);
  auto r = EnhancePrompt(generator_, *store_, kAlice, "x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason(), Reason::kLlmUnavailable);
  EXPECT_EQ(TokensUsed(kAlice), 0);
}

TEST_F(PromptEnhancerTest, AnEmptyAnswerIsAnErrorButItsTokensAreCharged) {
  generator_.answer = Answer(" \n ", 12, 0);
  auto r = EnhancePrompt(generator_, *store_, kAlice, "x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().reason(), Reason::kLlmEmptyAnswer);
  EXPECT_EQ(TokensUsed(kAlice), 12);
}

}  // namespace
}  // namespace atrium::core::assistants
