#include "core/quota/token_quota.hpp"

#include "core/chat/conversation_store.hpp"

namespace atrium::core::quota {

std::optional<std::int64_t> TokenAllowance::Cap(std::optional<std::int64_t> max_tokens) const {
  if (!left) return max_tokens;
  if (!max_tokens || *max_tokens > *left) return left;
  return max_tokens;
}

Result<TokenAllowance> CheckTokens(const identity::Usage& usage) {
  if (usage.tokens_limit < 0) return TokenAllowance{};
  const std::int64_t left = usage.tokens_limit - usage.tokens_used;
  if (left <= 0) {
    return Error(ErrorCode::kResourceExhausted, "Token limit reached",
                 "used " + std::to_string(usage.tokens_used) + " of " + std::to_string(usage.tokens_limit))
        .WithReason(Reason::kTokenLimitExceeded);
  }
  return TokenAllowance{left};
}

Result<TokenAllowance> TokenQuota::Check(const std::string& user_id) {
  auto usage = usage_.UsageOf(user_id);
  if (!usage) return usage.error();
  return CheckTokens(*usage);
}

}  // namespace atrium::core::quota
