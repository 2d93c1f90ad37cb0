// Issue 3, "Done when" (second point): a 10,000-candle 1m range on Binance, fetched through
// service::CandleService with its default limits over the plugin the Application loaded,
// comes back complete, ascending and duplicate-free, assembled from exactly 7 klines pages
// (1500-row page cap: 6 full pages and one of 1000) — counted in the fake exchange's log.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "CandleChecks.hpp"
#include "CandleService.hpp"
#include "FakeExchangeServer.hpp"
#include "KlinesGenerator.hpp"
#include "RunningApplication.hpp"

namespace mdp::app::integration {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kCount = 10'000;

struct PageRequest {
  std::int64_t start_time;
  std::int64_t end_time;
  std::int64_t limit;
};

TEST(ApplicationCandleRange, TenThousandBinanceMinutesComeFromSevenPages) {
  fake::FakeExchangeServer binance;
  const fake::RouteId klines =
      binance.add_route(fake::RouteMatch{"GET", "/fapi/v1/klines", {{"symbol", "BTCUSDT"}}, {}},
                        binance_1m_klines_generator());
  RunningApplication running(ApplicationOptions{{}, {{kBinance, binance.base_url()}}, {}});

  const service::CandleService service{service::CandleServiceLimits{}};
  service::CandleQuery query;
  query.native_symbol = "BTCUSDT";
  query.interval = "1m";
  query.start_ms = kStart;
  query.end_ms = kStart + kCount * kMinute;
  const service::CandleSeries series = service.fetch(*running.adapter(kBinance), query, generous_context());

  // Complete, ascending, no duplicates, every bucket of the range exactly once.
  ASSERT_EQ(series.candles.size(), static_cast<std::size_t>(kCount));
  for (std::size_t i = 0; i < series.candles.size(); ++i) {
    if (series.candles[i].open_time_ms != kStart + static_cast<std::int64_t>(i) * kMinute) {
      FAIL() << "candle " << i << " opens at " << series.candles[i].open_time_ms << ", expected "
             << kStart + static_cast<std::int64_t>(i) * kMinute;
    }
  }
  expect_candle_invariants(series.candles, "10,000 x 1m");
  EXPECT_EQ(series.pages_fetched, 7u);
  EXPECT_FALSE(series.available_from_ms.has_value());

  // Exactly 7 klines requests, which tile the range without overlap: [start, endTime] inclusive.
  std::vector<PageRequest> pages;
  for (const auto& request : binance.requests(klines)) {
    pages.push_back({std::stoll(request.param("startTime").value_or("-1")),
                     std::stoll(request.param("endTime").value_or("-1")), std::stoll(request.param("limit").value_or("-1"))});
    EXPECT_EQ(request.param("interval").value_or(""), "1m");
  }
  ASSERT_EQ(pages.size(), 7u);
  std::sort(pages.begin(), pages.end(), [](const PageRequest& a, const PageRequest& b) { return a.start_time < b.start_time; });
  std::int64_t expected_start = kStart;
  std::int64_t rows = 0;
  for (const PageRequest& page : pages) {
    EXPECT_EQ(page.start_time, expected_start);
    EXPECT_LE(page.limit, 1500);
    const std::int64_t buckets = (page.end_time + 1 - page.start_time) / kMinute;
    EXPECT_LE(buckets, page.limit) << "a page never asks for more buckets than its limit";
    rows += buckets;
    expected_start = page.end_time + 1;
  }
  EXPECT_EQ(expected_start, query.end_ms);
  EXPECT_EQ(rows, kCount);
}

TEST(KlinesGenerator, ServesEveryBucketOfTheInclusiveRangeUpToTheLimit) {
  // The fake's own behaviour, so the page count above measures the host, not the generator.
  const std::string three = binance_1m_klines(kStart + 1, kStart + 3 * kMinute, 1500);
  EXPECT_EQ(std::count(three.begin(), three.end(), '[') - 1, 3) << three;  // rounds startTime up, endTime inclusive
  EXPECT_EQ(three.find("[" + std::to_string(kStart) + ","), std::string::npos);
  EXPECT_NE(three.find("[" + std::to_string(kStart + kMinute) + ","), std::string::npos);
  const std::string capped = binance_1m_klines(kStart, kStart + 100 * kMinute, 10);
  EXPECT_EQ(std::count(capped.begin(), capped.end(), '[') - 1, 10);
  EXPECT_EQ(binance_1m_klines(kStart + kMinute, kStart, 10), "[]");
}

}  // namespace
}  // namespace mdp::app::integration
