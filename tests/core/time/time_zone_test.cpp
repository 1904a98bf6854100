// The TZif reader against the system's zone files: offsets on both sides of real
// transitions, the POSIX footer rule past the files' last transition, local-to-UTC
// through gaps and overlaps, and refusals.

#include "core/time/time_zone.hpp"

#include <gtest/gtest.h>

namespace atrium::core::time {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

Seconds Utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
  return Seconds(std::chrono::sys_days(
             std::chrono::year_month_day{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)})) +
         hours(h) + minutes(min) + seconds(s);
}

LocalSeconds Local(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
  return LocalSeconds(Utc(y, m, d, h, min).time_since_epoch());
}

TimeZone Zone(const char* name) {
  auto z = TimeZone::Load(name);
  EXPECT_TRUE(z) << name;
  return z ? *z : TimeZone::Utc();
}

TEST(TimeZone, BerlinOffsetsAroundTransitions) {
  const auto berlin = Zone("Europe/Berlin");
  EXPECT_EQ(berlin.OffsetAt(Utc(2026, 3, 29, 0, 59, 59)), hours(1));
  EXPECT_EQ(berlin.OffsetAt(Utc(2026, 3, 29, 1, 0, 0)), hours(2));
  EXPECT_EQ(berlin.OffsetAt(Utc(2026, 10, 25, 0, 59, 59)), hours(2));
  EXPECT_EQ(berlin.OffsetAt(Utc(2026, 10, 25, 1, 0, 0)), hours(1));
}

TEST(TimeZone, FooterRuleAppliesPastTheLastTransition) {
  const auto berlin = Zone("Europe/Berlin");
  EXPECT_EQ(berlin.OffsetAt(Utc(2040, 1, 15)), hours(1));
  EXPECT_EQ(berlin.OffsetAt(Utc(2040, 7, 15)), hours(2));
  EXPECT_EQ(berlin.OffsetAt(Utc(2040, 3, 25, 0, 59)), hours(1));  // last Sunday of March 2040 is the 25th
  EXPECT_EQ(berlin.OffsetAt(Utc(2040, 3, 25, 1, 0)), hours(2));
  const auto ny = Zone("America/New_York");
  EXPECT_EQ(ny.OffsetAt(Utc(2045, 7, 4)), hours(-4));
  EXPECT_EQ(ny.OffsetAt(Utc(2045, 12, 25)), hours(-5));
  const auto sydney = Zone("Australia/Sydney");  // southern hemisphere: DST spans the new year
  EXPECT_EQ(sydney.OffsetAt(Utc(2041, 1, 1)), hours(11));
  EXPECT_EQ(sydney.OffsetAt(Utc(2041, 7, 1)), hours(10));
}

TEST(TimeZone, LocalTimesInGapsMoveForwardAndOverlapsTakeTheEarlier) {
  const auto berlin = Zone("Europe/Berlin");
  EXPECT_EQ(berlin.ToUtc(Local(2026, 3, 29, 2, 30)), Utc(2026, 3, 29, 1, 30));  // shows 03:30 CEST
  EXPECT_EQ(berlin.ToUtc(Local(2026, 3, 29, 3, 0)), Utc(2026, 3, 29, 1, 0));
  EXPECT_EQ(berlin.ToUtc(Local(2026, 10, 25, 2, 30)), Utc(2026, 10, 25, 0, 30));  // CEST, the first 02:30
  EXPECT_EQ(berlin.ToUtc(Local(2026, 7, 1, 12, 0)), Utc(2026, 7, 1, 10, 0));
  EXPECT_EQ(berlin.ToUtc(Local(2050, 7, 1, 12, 0)), Utc(2050, 7, 1, 10, 0));
}

TEST(TimeZone, FormatsWithTheOffsetInForce) {
  EXPECT_EQ(FormatIsoLocal(Utc(2026, 2, 8, 14, 0), Zone("Europe/Berlin")), "2026-02-08T15:00:00+01:00");
  EXPECT_EQ(FormatIsoLocal(Utc(2026, 2, 8, 14, 0), Zone("America/New_York")), "2026-02-08T09:00:00-05:00");
  EXPECT_EQ(FormatIsoLocal(Utc(2026, 2, 8, 14, 0), Zone("Asia/Kolkata")), "2026-02-08T19:30:00+05:30");
  EXPECT_EQ(FormatIsoLocal(Utc(2026, 2, 8, 14, 0), TimeZone::Utc()), "2026-02-08T14:00:00Z");
}

TEST(TimeZone, RefusesNamesThatAreNotZones) {
  for (const char* name :
       {"", "../../etc/passwd", "/etc/localtime", "Europe/../../x", "Nowhere/City", "Europe Berlin"}) {
    auto z = TimeZone::Load(name);
    ASSERT_FALSE(z) << name;
    EXPECT_EQ(z.error().code(), ErrorCode::kInvalidArgument) << name;
    EXPECT_EQ(z.error().safe_message(), "unknown time zone");
  }
  EXPECT_TRUE(TimeZone::Load("UTC"));
}

TEST(TimeZone, RefusesBytesThatAreNotTzif) {
  for (const char* bytes : {"", "TZif", "not a zone file at all, but long enough to have a header......"}) {
    auto z = TimeZone::FromTzif("X", bytes);
    ASSERT_FALSE(z);
    EXPECT_EQ(z.error().code(), ErrorCode::kInternal);
  }
}

}  // namespace
}  // namespace atrium::core::time
