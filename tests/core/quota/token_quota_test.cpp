#include "core/quota/token_quota.hpp"

#include <gtest/gtest.h>

namespace atrium::core::quota {
namespace {

identity::Usage Used(std::int64_t used, std::int64_t limit) { return identity::Usage{0, used, limit}; }

TEST(TokenQuotaTest, NoLimitAllowsEverythingAndCapsNothing) {
  auto allowance = CheckTokens(Used(1'000'000, -1));
  ASSERT_TRUE(allowance.ok());
  EXPECT_EQ(allowance->left, std::nullopt);
  EXPECT_EQ(allowance->Cap(std::nullopt), std::nullopt);
  EXPECT_EQ(allowance->Cap(512), 512);
}

TEST(TokenQuotaTest, WhatIsLeftCapsTheAnswer) {
  auto allowance = CheckTokens(Used(900, 1000));
  ASSERT_TRUE(allowance.ok());
  EXPECT_EQ(allowance->left, 100);
  EXPECT_EQ(allowance->Cap(std::nullopt), 100);
  EXPECT_EQ(allowance->Cap(512), 100);
  EXPECT_EQ(allowance->Cap(50), 50);
}

TEST(TokenQuotaTest, ASpentBudgetIsRefused) {
  for (const auto& usage : {Used(1000, 1000), Used(1200, 1000), Used(0, 0)}) {
    auto refused = CheckTokens(usage);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code(), ErrorCode::kResourceExhausted);
    EXPECT_EQ(refused.error().reason(), Reason::kTokenLimitExceeded);
    EXPECT_EQ(refused.error().safe_message(), "Token limit reached");
  }
}

}  // namespace
}  // namespace atrium::core::quota
