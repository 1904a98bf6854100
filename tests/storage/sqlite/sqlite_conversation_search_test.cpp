#include "storage/sqlite/sqlite_conversation_search.hpp"

#include <gtest/gtest.h>

namespace atrium::storage::sqlite {
namespace {

TEST(FtsQueryTest, QuotesEveryWordAndMakesTheLastAPrefix) {
  EXPECT_EQ(FtsQuery("al dente!"), "\"al\" \"dente\"*");
  EXPECT_EQ(FtsQuery("\"x\" OR"), "\"x\" \"OR\"*");
  EXPECT_EQ(FtsQuery("café_au lait"), "\"café_au\" \"lait\"*");
  EXPECT_EQ(FtsQuery("  (*) "), "");
}

TEST(SqliteConversationSearchTest, ATitleConditionNeedsAWord) {
  SqliteConversationSearch search;
  Params params;
  EXPECT_EQ(search.TitleCondition("!!", params), std::nullopt);
  EXPECT_TRUE(params.empty());
  auto condition = search.TitleCondition("pasta", params);
  ASSERT_TRUE(condition.has_value());
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(AsText(params[0]), "\"pasta\"*");
}

}  // namespace
}  // namespace atrium::storage::sqlite
