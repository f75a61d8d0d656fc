#include "iamlocal/core/clock.h"

#include <gtest/gtest.h>

namespace iamlocal {
namespace {

TEST(Iso8601, FormatsUtcWithZ) {
  TimePoint t = std::chrono::sys_days{std::chrono::year{2024} / 5 / 1} + std::chrono::hours{12} + std::chrono::seconds{7};
  EXPECT_EQ(formatIso8601(t), "2024-05-01T12:00:07Z");
  EXPECT_EQ(formatAmzDate(t), "20240501T120007Z");
}

TEST(Iso8601, ParsesZuluOffsetsFractionsAndDates) {
  TimePoint expected = std::chrono::sys_days{std::chrono::year{2024} / 5 / 1} + std::chrono::hours{12};
  struct Case { const char* text; } cases[] = {
      {"2024-05-01T12:00:00Z"}, {"2024-05-01T12:00:00.123Z"}, {"2024-05-01T14:00:00+02:00"}, {"2024-05-01T10:00:00-0200"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    TimePoint out;
    ASSERT_TRUE(parseIso8601(c.text, out));
    EXPECT_EQ(std::chrono::time_point_cast<std::chrono::seconds>(out), std::chrono::time_point_cast<std::chrono::seconds>(expected));
  }
  TimePoint day;
  ASSERT_TRUE(parseIso8601("2024-05-01", day));
}

TEST(Iso8601, RejectsMalformedText) {
  TimePoint out;
  for (const char* bad : {"", "2024", "2024-13-01T00:00:00Z", "2024-02-30", "2024-05-01T12:00Z", "2024-05-01T12:00:00Q"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(parseIso8601(bad, out));
  }
}

TEST(ManualClock, AdvancesOnlyWhenTold) {
  ManualClock clock{TimePoint{}};
  clock.advance(std::chrono::seconds{5});
  EXPECT_EQ(clock.now(), TimePoint{} + std::chrono::seconds{5});
}

}  // namespace
}  // namespace iamlocal
