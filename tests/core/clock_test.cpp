#include "core/clock.hpp"

#include <gtest/gtest.h>

#include "support/fakes.hpp"

namespace atrium::core {
namespace {

using namespace std::chrono;

TEST(FormatRfc3339Test, EpochWithoutFraction) {
  EXPECT_EQ(FormatRfc3339(system_clock::time_point{}), "1970-01-01T00:00:00Z");
}

TEST(FormatRfc3339Test, EpochWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(system_clock::time_point{}, 3), "1970-01-01T00:00:00.000Z");
}

TEST(FormatRfc3339Test, FixedInstantWithoutFractionTruncates) {
  EXPECT_EQ(FormatRfc3339(testing::FixedNow()), "2024-05-06T07:08:09Z");
}

TEST(FormatRfc3339Test, FixedInstantWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(testing::FixedNow(), 3), "2024-05-06T07:08:09.123Z");
}

TEST(FormatRfc3339Test, MillisecondsArePaddedAndSubMillisecondsTruncated) {
  const system_clock::time_point t =
      sys_days{year{2000} / February / 29} + hours{23} + minutes{59} + seconds{59} + microseconds{7999};
  EXPECT_EQ(FormatRfc3339(t, 3), "2000-02-29T23:59:59.007Z");
  EXPECT_EQ(FormatRfc3339(t, 0), "2000-02-29T23:59:59Z");
}

TEST(FormatRfc3339Test, LastMillisecondOfADay) {
  const system_clock::time_point t = sys_days{year{2023} / December / 31} + hours{24} - milliseconds{1};
  EXPECT_EQ(FormatRfc3339(t, 3), "2023-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace atrium::core
