#pragma once
// Every user's token budget (identity::Usage: tokens used against a limit, -1 for
// none), checked the same way before any generation that spends it: chat turns, arena
// turns, prompt enhancement, embeddings. A spent budget refuses the request; what is
// left caps the answer.

#include <cstdint>
#include <optional>
#include <string>

#include "core/identity/user.hpp"
#include "core/result.hpp"

namespace atrium::core::chat {
class ConversationStore;
}

namespace atrium::core::quota {

// What a budget allows now.
struct TokenAllowance {
  std::optional<std::int64_t> left;  // nullopt: unlimited

  // `max_tokens` lowered to what is left (unchanged when unlimited).
  std::optional<std::int64_t> Cap(std::optional<std::int64_t> max_tokens) const;
};

// kResourceExhausted "Token limit reached" (reason "token_limit_exceeded") when nothing
// is left; otherwise what is.
Result<TokenAllowance> CheckTokens(const identity::Usage& usage);

// The budget as stored with the conversations.
class TokenQuota {
 public:
  explicit TokenQuota(chat::ConversationStore& usage) : usage_(usage) {}

  // Blocking (reads storage). CheckTokens on `user_id`'s current usage.
  Result<TokenAllowance> Check(const std::string& user_id);

 private:
  chat::ConversationStore& usage_;
};

}  // namespace atrium::core::quota
