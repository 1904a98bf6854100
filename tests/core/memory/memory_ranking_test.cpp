#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "core/memory/highlight.hpp"
#include "core/memory/memory_ranking.hpp"

namespace atrium::core::memory {
namespace {

TEST(MemoryRankingTest, TheFormulaAsDocumented) {
  RankingInput in;
  in.has_query = true;
  in.coverage = 1;
  in.rank = 0.5;
  in.best_rank = 0.5;
  in.importance = 1;
  in.days_idle = 0;
  in.access_count = 0;
  // 0.6 * (0.7 + 0.3) + 0.2 + 0.1 * 1 + 0
  EXPECT_DOUBLE_EQ(Relevance(in), 0.9);
  in.access_count = 1000;
  EXPECT_DOUBLE_EQ(Relevance(in), 1.0);
  in.days_idle = 30;
  EXPECT_NEAR(Relevance(in), 0.9 + 0.1 * std::exp(-1.0), 1e-4);
  RankingInput none;
  none.importance = 0.5;
  EXPECT_DOUBLE_EQ(Relevance(none), 0.2);  // no query: importance and recency only
  none.coverage = 1;                         // ignored without a query
  EXPECT_DOUBLE_EQ(Relevance(none), 0.2);
}

TEST(MemoryRankingTest, MoreOfTheQueryRanksHigher) {
  RankingInput half{true, 0.5, 0.2, 0.4, 0.5, 1, 0};
  RankingInput full{true, 1.0, 0.2, 0.4, 0.5, 1, 0};
  EXPECT_GT(Relevance(full), Relevance(half));
}

TEST(MemoryRankingTest, DaysSinceReadsRfc3339) {
  const auto now = std::chrono::sys_days{std::chrono::year{2026} / 1 / 11} + std::chrono::hours{12};
  EXPECT_NEAR(DaysSince("2026-01-01T12:00:00.000Z", now), 10.0, 1e-9);
  EXPECT_EQ(DaysSince("2026-02-01T00:00:00Z", now), 0.0);  // in the future
  EXPECT_EQ(DaysSince("garbage", now), 0.0);
  EXPECT_EQ(DaysSince("2026-13-45T00:00:00Z", now), 0.0);
}

TEST(MemoryRankingTest, QueryWordsAreCountedAsTheIndexesSplitThem) {
  EXPECT_EQ(QueryWordCount("user interface preferences"), 3u);
  EXPECT_EQ(QueryWordCount("  ?! "), 0u);
  EXPECT_EQ(QueryWordCount("café_au-lait"), 2u);
}

TEST(HighlightTest, MarkersBecomeMarkAndTheRestIsEscaped) {
  EXPECT_EQ(MarkedToHtml("a \x01<b>\x02 & \"c\" 'd'"), "a <mark>&lt;b&gt;</mark> &amp; &quot;c&quot; &#39;d&#39;");
  EXPECT_EQ(MarkedToHtml("\x01open"), "<mark>open</mark>");
  EXPECT_EQ(MarkedToHtml("stray\x02 end"), "stray end");
  EXPECT_EQ(MarkedTermCount("\x01User\x02 likes \x01user\x02 \x01UI\x02"), 2u);
  EXPECT_EQ(StripControl("a\x01\x02\tb\nc\x7f"), "a\tb\nc");
}

}  // namespace
}  // namespace atrium::core::memory
