#include "core/random.hpp"

#include <gtest/gtest.h>

#include <set>

#include "support/fakes.hpp"

namespace atrium::core {
namespace {

TEST(NewUuidTest, CanonicalFormFromCountingBytes) {
  testing::FakeRandom random;  // bytes 00 01 02 ... 0f
  // Byte 6 (0x06) gets version 4: 0x46; byte 8 (0x08) gets variant 10xx: 0x88.
  EXPECT_EQ(NewUuid(random), "00010203-0405-4607-8809-0a0b0c0d0e0f");
  EXPECT_EQ(random.calls(), 1);
}

TEST(NewUuidTest, AllOnesKeepsOnlyVersionAndVariantBitsForced) {
  testing::FakeRandom random({0xff});
  EXPECT_EQ(NewUuid(random), "ffffffff-ffff-4fff-bfff-ffffffffffff");
}

TEST(NewUuidTest, AllZerosGetVersionAndVariant) {
  testing::FakeRandom random({0x00});
  EXPECT_EQ(NewUuid(random), "00000000-0000-4000-8000-000000000000");
}

TEST(NewUuidTest, ShapeVersionAndVariantForManyPatterns) {
  for (int seed = 0; seed < 256; ++seed) {
    testing::FakeRandom random({static_cast<std::uint8_t>(seed), static_cast<std::uint8_t>(seed * 7 + 3)});
    const std::string id = NewUuid(random);
    ASSERT_EQ(id.size(), 36u) << id;
    for (std::size_t i = 0; i < id.size(); ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        EXPECT_EQ(id[i], '-') << id;
      } else {
        EXPECT_TRUE((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')) << id;
      }
    }
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') << id;
  }
}

TEST(NewUuidTest, SuccessiveCallsDiffer) {
  testing::FakeRandom random;
  EXPECT_EQ(NewUuid(random), "00010203-0405-4607-8809-0a0b0c0d0e0f");
  EXPECT_EQ(NewUuid(random), "10111213-1415-4617-9819-1a1b1c1d1e1f");
}

TEST(SecureRandomTest, FillsAndProducesDistinctUuids) {
  SecureRandom random;
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) ids.insert(NewUuid(random));
  EXPECT_EQ(ids.size(), 100u);
}

}  // namespace
}  // namespace atrium::core
