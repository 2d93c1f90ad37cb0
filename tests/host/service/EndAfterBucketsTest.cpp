// end_after_buckets: where `limit` cuts a candle range (fixed, Monday-week, calendar-month).
#include <gtest/gtest.h>

#include "CandleRequestService.hpp"
#include "PagePlan.hpp"
#include "Interval.hpp"

namespace mdp::service {
namespace {

constexpr std::int64_t kJan1 = 1704067200000;  // 2024-01-01T00:00:00Z, a Monday
constexpr std::int64_t kHour = 3'600'000;

TEST(EndAfterBuckets, FixedIntervalsCountFromTheFirstBucketAtOrAfterStart) {
  EXPECT_EQ(end_after_buckets("1h", kJan1, 1), kJan1 + kHour);
  EXPECT_EQ(end_after_buckets("1h", kJan1, 720), kJan1 + 720 * kHour);
  // Start inside a bucket: that bucket is not in the range, counting starts at the next.
  EXPECT_EQ(end_after_buckets("1h", kJan1 + 1, 2), kJan1 + 3 * kHour);
  EXPECT_EQ(end_after_buckets("1m", kJan1, 10'000), kJan1 + 10'000 * 60'000);
}

TEST(EndAfterBuckets, WeeksAndMonthsFollowTheCalendar) {
  EXPECT_EQ(end_after_buckets("1w", kJan1 + 1, 1), kJan1 + 14 * 24 * kHour);
  EXPECT_EQ(end_after_buckets("1M", kJan1, 1), 1706745600000);      // 2024-02-01
  EXPECT_EQ(end_after_buckets("1M", kJan1, 2), 1709251200000);      // 2024-03-01 (leap February)
  EXPECT_EQ(end_after_buckets("1M", kJan1 + 1, 1), 1709251200000);  // January is not in range
}

TEST(EndAfterBuckets, TheCutRangeHoldsExactlyThatManyBuckets) {
  for (const auto& interval : domain::interval_catalogue()) {
    for (const std::size_t count : {1u, 7u, 100u}) {
      const std::int64_t end = end_after_buckets(interval.code, kJan1 + 12345, count);
      EXPECT_EQ(bucket_count(interval, kJan1 + 12345, end), static_cast<std::int64_t>(count)) << interval.code;
    }
  }
}

}  // namespace
}  // namespace mdp::service
