// is_closed_range: which candle answers can be cached (they can never change) — only
// include_open=false ranges whose end the parameters fix and that end at or before the open
// time of the candle in progress.
#include <algorithm>
#include <optional>

#include <gtest/gtest.h>

#include "CandlesRoute.hpp"

namespace mdp::api {
namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kJan1 = 1704067200000;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kNow = kJan1 + 100 * kHour + 1'234;  // 1.234 s into hour 100

service::CandleRequest request(std::optional<std::int64_t> end, std::optional<std::size_t> limit = std::nullopt) {
  service::CandleRequest r;
  r.exchange = "binance_futures";
  r.symbol = "BTC/USDT:USDT";
  r.interval = "1h";
  r.start_ms = kJan1;
  r.end_ms = end;
  r.limit = limit;
  return r;
}

// What CandleRequestService::fetch reports as the effective end.
service::CandleResult result_for(const service::CandleRequest& r) {
  service::CandleResult result;
  result.interval = r.interval;
  result.start_ms = r.start_ms;
  result.end_ms = r.end_ms.value_or(kNow);
  if (r.limit) result.end_ms = std::min(result.end_ms, service::end_after_buckets(r.interval, r.start_ms, *r.limit));
  return result;
}

bool closed(const service::CandleRequest& r) { return is_closed_range(r, result_for(r), kNow); }

TEST(CandlesRouteClosedRange, AnEndAtOrBeforeTheCandleInProgressIsClosed) {
  EXPECT_TRUE(closed(request(kJan1 + 24 * kHour)));
  EXPECT_TRUE(closed(request(kJan1 + 100 * kHour))) << "ends exactly where the candle in progress opens";
  EXPECT_FALSE(closed(request(kJan1 + 100 * kHour + 1))) << "reaches into the candle in progress";
  EXPECT_FALSE(closed(request(kJan1 + 200 * kHour))) << "ends in the future";
}

TEST(CandlesRouteClosedRange, IncludeOpenIsNeverClosed) {
  service::CandleRequest r = request(kJan1 + 24 * kHour);
  r.include_open = true;
  EXPECT_FALSE(closed(r));
}

TEST(CandlesRouteClosedRange, WithoutEndOnlyALimitInThePastFixesTheRange) {
  EXPECT_FALSE(closed(request(std::nullopt))) << "end = now moves with every request";
  EXPECT_TRUE(closed(request(std::nullopt, 24)));
  EXPECT_FALSE(closed(request(std::nullopt, 150))) << "the limit reaches past now: end = now";
}

TEST(CandlesRouteClosedRange, AnUnknownIntervalIsNotClosed) {
  service::CandleRequest r = request(kJan1 + 24 * kHour);
  r.interval = "7h";
  EXPECT_FALSE(closed(r));
}

}  // namespace
}  // namespace mdp::api
