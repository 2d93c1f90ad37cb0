#include "PagePlan.hpp"

#include <gtest/gtest.h>

#include "Time.hpp"

namespace mdp::service {
namespace {

constexpr std::int64_t kMinute = 60'000;

domain::Interval interval(const char* code) { return *domain::find_interval(code); }

TEST(PagePlan, TenThousandMinutesOnBinanceAreSevenPages) {
  const std::int64_t start = 1'700'000'040'000;  // aligned to the minute
  const auto pages = plan_pages(interval("1m"), start, start + 10'000 * kMinute, 1500);
  ASSERT_EQ(pages.size(), 7u);
  EXPECT_EQ(pages.front().start_ms, start);
  EXPECT_EQ(pages.back().end_ms, start + 10'000 * kMinute);
  for (std::size_t i = 1; i < pages.size(); ++i) EXPECT_EQ(pages[i].start_ms, pages[i - 1].end_ms);
  std::int64_t total = 0;
  for (const auto& p : pages) {
    const auto n = bucket_count(interval("1m"), p.start_ms, p.end_ms);
    EXPECT_LE(n, 1500);
    total += n;
  }
  EXPECT_EQ(total, 10'000);
}

TEST(PagePlan, UnalignedStartSkipsThePartialBucket) {
  const std::int64_t start = 1'700'000'040'000 + 1;
  // Buckets open at +1m, +2m, +3m: the one that opened before start is not counted.
  EXPECT_EQ(bucket_count(interval("1m"), start, start + 3 * kMinute), 3);
  EXPECT_EQ(bucket_count(interval("1m"), start, start + 3 * kMinute - 1), 2);
  const auto pages = plan_pages(interval("1m"), start, start + 3000 * kMinute, 1500);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(bucket_count(interval("1m"), pages[0].start_ms, pages[0].end_ms), 1500);
}

TEST(PagePlan, CalendarMonthsCountRealMonths) {
  const auto jan = *domain::parse_time("2024-01-01");
  const auto next_jan = *domain::parse_time("2025-01-01");
  EXPECT_EQ(bucket_count(interval("1M"), jan, next_jan), 12);
  const auto pages = plan_pages(interval("1M"), jan, next_jan, 5);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[1].start_ms, *domain::parse_time("2024-06-01"));
}

TEST(PagePlan, EmptyRangeGivesNoPages) {
  EXPECT_TRUE(plan_pages(interval("1h"), 10, 10, 100).empty());
  EXPECT_EQ(bucket_count(interval("1h"), 10, 5), 0);
}

}  // namespace
}  // namespace mdp::service
