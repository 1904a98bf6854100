#include "core/retrieval/rank_fusion.hpp"

#include <gtest/gtest.h>

#include "core/retrieval/embedding_repository.hpp"

namespace atrium::core::retrieval {
namespace {

TEST(RankFusionTest, AgreementBeatsOneListsTopAndTiesKeepTheFirstListsOrder) {
  const auto fused = FuseByReciprocalRank({{"a", "b", "c"}, {"c", "d", "a"}});
  ASSERT_EQ(fused.size(), 4u);
  // a: 1/61 + 1/63; c: 1/63 + 1/61 (a tie, a first: it came first); then b (1/62), d (1/62).
  EXPECT_EQ(fused[0].id, "a");
  EXPECT_EQ(fused[1].id, "c");
  EXPECT_EQ(fused[2].id, "b");
  EXPECT_EQ(fused[3].id, "d");
  EXPECT_NEAR(fused[0].score, 1.0 / 61 + 1.0 / 63, 1e-12);
  EXPECT_NEAR(fused[2].score, 1.0 / 62, 1e-12);
}

TEST(RankFusionTest, OneListOrNone) {
  EXPECT_TRUE(FuseByReciprocalRank({}).empty());
  EXPECT_TRUE(FuseByReciprocalRank({{}, {}}).empty());
  const auto only = FuseByReciprocalRank({{"x", "y"}, {}});
  ASSERT_EQ(only.size(), 2u);
  EXPECT_EQ(only[0].id, "x");
  // A small k makes the top of each list count more.
  const auto sharp = FuseByReciprocalRank({{"p", "q"}}, 1.0);
  EXPECT_NEAR(sharp[0].score, 0.5, 1e-12);
}

TEST(VectorTextTest, Float32LittleEndianBase64RoundTrips) {
  const std::vector<float> v{0.0f, -1.5f, 3.25f, 1e-30f, 123456.75f};
  const auto text = EncodeVector(v);
  EXPECT_EQ(DecodeVector(text), v);
  EXPECT_EQ(EncodeVector({1.0f}), "AACAPw==");  // 0x3f800000, little-endian
  EXPECT_TRUE(DecodeVector("not base64!").empty());
  EXPECT_TRUE(DecodeVector("AAA=").empty());  // two bytes: not whole floats
  EXPECT_TRUE(DecodeVector("").empty());
}

}  // namespace
}  // namespace atrium::core::retrieval
