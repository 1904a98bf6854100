#include "core/assistants/prompt_enhancer.hpp"

#include "core/assistants/assistant_config.hpp"
#include "core/quota/token_quota.hpp"

namespace atrium::core::assistants {

namespace {

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

Error Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message)).WithReason(Reason::kInvalidPrompt);
}

}  // namespace

Result<EnhancedPrompt> EnhancePrompt(llm::Generator& generator, chat::ConversationStore& store,
                                     const std::string& user_id, const std::string& prompt) {
  if (Trim(prompt).empty()) return Invalid("Prompt is required");
  if (CharCount(prompt) > kMaxEnhancePromptChars) return Invalid("Prompt too long (max 10000 characters)");

  llm::GenerationRequest request;
  request.system_prompt = kEnhanceInstruction;
  request.messages.push_back({"user", prompt});
  request.user = user_id;
  auto allowance = quota::TokenQuota(store).Check(user_id);
  if (!allowance) return allowance.error();
  request.sampling.max_tokens = allowance->left;

  auto result = generator.Generate(request);
  if (!result) return result.error();
  // The upstream did the work, so its tokens count even when the answer is unusable.
  if (auto counted = store.AddUsage(user_id, result->usage.total_tokens); !counted) return counted.error();
  const auto text = Trim(result->content);
  if (text.empty()) {
    return Error(ErrorCode::kUnavailable, "The LLM upstream returned an empty answer", "enhance-prompt: empty content")
        .WithReason(Reason::kLlmEmptyAnswer);
  }
  return EnhancedPrompt{std::string(text), result->usage, result->model};
}

}  // namespace atrium::core::assistants
