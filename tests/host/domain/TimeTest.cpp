#include "Time.hpp"

#include <gtest/gtest.h>

namespace mdp::domain {
namespace {

TEST(Time, ParsesMillisecondsAndIso8601) {
  EXPECT_EQ(parse_time("0"), 0);
  EXPECT_EQ(parse_time("1712192400000"), 1712192400000);
  EXPECT_EQ(parse_time("2024-04-04"), 1712188800000);
  EXPECT_EQ(parse_time("2024-04-04T01:00Z"), 1712192400000);
  EXPECT_EQ(parse_time("2024-04-04T01:00:00Z"), 1712192400000);
  EXPECT_EQ(parse_time("2024-04-04T01:00:00.250Z"), 1712192400250);
  EXPECT_EQ(parse_time("2024-04-04T01:00:00+00:00"), 1712192400000);
  EXPECT_EQ(parse_time("2024-02-29"), 1709164800000);
}

TEST(Time, RejectsAnythingAmbiguousOrMalformed) {
  for (const char* bad : {"", " 12", "+5", "12 ", "-1", "12345678901234", "1e9", "2024-4-4", "2024-04-04T",
                          "2024-04-04T01:00", "2024-04-04T01:00+02:00", "2024-13-01", "2023-02-29",
                          "2024-04-04T24:00Z", "2024-04-04T01:60Z", "1969-12-31", "2024-04-04T01:00:00.5Z",
                          "yesterday", "2024-04-04Z"}) {
    EXPECT_FALSE(parse_time(bad)) << bad;
  }
}

TEST(Time, FormatsIso8601InUtc) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(1712192400250), "2024-04-04T01:00:00.250Z");
}

TEST(Time, CivilRoundTripOverFourCenturies) {
  for (std::int64_t day = -1000; day < 150'000; day += 37) {
    const std::int64_t ms = day * 86'400'000;
    EXPECT_EQ(ms_from_civil(civil_from_ms(ms)), ms) << day;
  }
}

}  // namespace
}  // namespace mdp::domain
