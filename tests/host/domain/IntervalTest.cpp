#include "Interval.hpp"

#include <gtest/gtest.h>

#include "Time.hpp"

namespace mdp::domain {
namespace {

TEST(Interval, CatalogueHasTheFifteenCanonicalCodesInOrder) {
  std::string codes;
  for (const auto& i : interval_catalogue()) codes += std::string(i.code) + " ";
  EXPECT_EQ(codes, "1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M ");
  for (std::size_t i = 1; i < interval_catalogue().size(); ++i) {
    EXPECT_LT(interval_catalogue()[i - 1].duration_ms, interval_catalogue()[i].duration_ms);
  }
}

TEST(Interval, UnknownCodesAreRejected) {
  EXPECT_FALSE(find_interval("2m"));
  EXPECT_FALSE(find_interval("1H"));
  EXPECT_FALSE(find_interval(""));
  EXPECT_TRUE(find_interval("1M"));
}

TEST(Interval, MonthsFollowTheCalendar) {
  const Interval month = *find_interval("1M");
  const std::int64_t feb = *parse_time("2024-02-01");
  EXPECT_EQ(next_open_time(month, feb), *parse_time("2024-03-01"));
  EXPECT_EQ(close_time(month, feb), *parse_time("2024-03-01") - 1);
  EXPECT_EQ(next_open_time(month, *parse_time("2024-12-01")), *parse_time("2025-01-01"));
  EXPECT_EQ(align_down(month, *parse_time("2024-02-29T13:00Z")), feb);
}

TEST(Interval, WeeksStartOnMonday) {
  const Interval week = *find_interval("1w");
  // 2024-04-03 is a Wednesday; its week opened on Monday 2024-04-01.
  EXPECT_EQ(align_down(week, *parse_time("2024-04-03T10:00Z")), *parse_time("2024-04-01"));
  EXPECT_EQ(align_down(week, *parse_time("2024-04-01")), *parse_time("2024-04-01"));
}

TEST(Interval, FixedIntervalsAlignToEpochMultiples) {
  const Interval h4 = *find_interval("4h");
  EXPECT_EQ(align_down(h4, *parse_time("2024-04-03T10:59Z")), *parse_time("2024-04-03T08:00Z"));
  EXPECT_EQ(close_time(h4, 0), 4 * 3'600'000 - 1);
}

}  // namespace
}  // namespace mdp::domain
