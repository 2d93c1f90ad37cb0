// bench/fetch/GeneratedBinance: the fake Binance of the fetch and scale benchmarks must answer
// like Binance (the plugin's own parsers accept every body) and select rows exactly as
// EXCHANGES.md says (open time within [startTime, endTime], both inclusive, at most `limit`,
// nothing in the future), so what the benchmarks measure is the real pagination.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "BinanceParsers.hpp"
#include "GeneratedBinance.hpp"

namespace mdp::bench {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z (a Monday)
constexpr std::int64_t kNow = 1'760'000'000'000;    // 2025-10-09

std::vector<sdk::Candle> parse(const GeneratedBody& body, std::int64_t interval_ms) {
  return binance::parse_klines(body.body, interval_ms, kNow);
}

KlinesQuery query(std::string interval, std::optional<std::int64_t> start, std::optional<std::int64_t> end,
                  std::optional<std::int64_t> limit) {
  return KlinesQuery{"BTCUSDT", std::move(interval), start, end, limit};
}

TEST(GeneratedBinance, FullPageParsesWithThePluginsParserAscendingOnTheGrid) {
  const GeneratedBody body = binance_klines(query("1m", kStart, std::nullopt, 1500), kNow);
  ASSERT_EQ(body.status, 200);
  EXPECT_EQ(body.weight, 10);
  const auto rows = parse(body, kMinute);
  ASSERT_EQ(rows.size(), 1500u);
  EXPECT_EQ(body.rows, 1500u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].open_time_ms, kStart + static_cast<std::int64_t>(i) * kMinute);
    EXPECT_EQ(rows[i].close_time_ms, rows[i].open_time_ms + kMinute - 1);
  }
}

TEST(GeneratedBinance, BothBoundsInclusiveAndStartRoundedUpToTheGrid) {
  const auto rows = parse(binance_klines(query("1m", kStart + 1, kStart + 10 * kMinute, 1500), kNow), kMinute);
  ASSERT_EQ(rows.size(), 10u);  // opens kStart+1m .. kStart+10m
  EXPECT_EQ(rows.front().open_time_ms, kStart + kMinute);
  EXPECT_EQ(rows.back().open_time_ms, kStart + 10 * kMinute);
}

TEST(GeneratedBinance, LimitDefaultsTo500AndCapsTheRows) {
  EXPECT_EQ(parse(binance_klines(query("1m", kStart, std::nullopt, std::nullopt), kNow), kMinute).size(), 500u);
  const auto rows = parse(binance_klines(query("1h", kStart, kStart + 1000 * 3'600'000LL, 7), kNow), 3'600'000);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows.front().open_time_ms, kStart);
}

TEST(GeneratedBinance, WithoutStartTimeTheNewestRowsUpToEndTimeOrNow) {
  const auto to_end = parse(binance_klines(query("1m", std::nullopt, kStart, 3), kNow), kMinute);
  ASSERT_EQ(to_end.size(), 3u);
  EXPECT_EQ(to_end.back().open_time_ms, kStart);
  const std::int64_t now = kStart + 90 * 1000;  // 1.5 minutes in
  const auto latest = parse(binance_klines(query("1m", std::nullopt, std::nullopt, 2), now), kMinute);
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest.back().open_time_ms, kStart + kMinute) << "the candle in progress comes last";
}

TEST(GeneratedBinance, NothingOpensAfterNow) {
  const std::int64_t now = kStart + 100 * kMinute + 30'000;  // candle 100 is in progress
  const auto rows = parse(binance_klines(query("1m", kStart + 95 * kMinute, now + 100 * kMinute, 1500), now), kMinute);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows.back().open_time_ms, kStart + 100 * kMinute);
}

TEST(GeneratedBinance, OverlappingPagesAgreeRowForRow) {
  const GeneratedBody a = binance_klines(query("5m", kStart, std::nullopt, 10), kNow);
  const GeneratedBody b = binance_klines(query("5m", kStart + 5 * 5 * kMinute, std::nullopt, 10), kNow);
  const auto ra = parse(a, 5 * kMinute);
  const auto rb = parse(b, 5 * kMinute);
  for (std::size_t i = 5; i < 10; ++i) {
    EXPECT_EQ(ra[i].open_time_ms, rb[i - 5].open_time_ms);
    EXPECT_EQ(ra[i].close, rb[i - 5].close);
    EXPECT_EQ(ra[i].volume, rb[i - 5].volume);
  }
  EXPECT_EQ(a.body, binance_klines(query("5m", kStart, std::nullopt, 10), kNow).body) << "deterministic";
}

TEST(GeneratedBinance, WeeksStartOnMondayAndMonthsOnTheFirst) {
  const auto weeks = parse(binance_klines(query("1w", kStart - 1, std::nullopt, 2), kNow), 7 * 86'400'000LL);
  ASSERT_EQ(weeks.size(), 2u);
  EXPECT_EQ(weeks.front().open_time_ms, kStart) << "2024-01-01 is a Monday";
  const auto months = parse(binance_klines(query("1M", kStart, std::nullopt, 3), kNow), binance::kCalendarMonth);
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(months[1].open_time_ms, 1'706'745'600'000);  // 2024-02-01
  EXPECT_EQ(months[2].open_time_ms, 1'709'251'200'000);  // 2024-03-01 (leap February)
  EXPECT_EQ(months[1].close_time_ms, 1'709'251'200'000 - 1);
}

TEST(GeneratedBinance, ErrorsAsBinanceSendsThem) {
  binance::ApiError error;
  const GeneratedBody interval = binance_klines(query("2m", kStart, std::nullopt, 10), kNow);
  EXPECT_EQ(interval.status, 400);
  ASSERT_TRUE(binance::parse_error_body(interval.body, error));
  EXPECT_EQ(error.code, -1120);
  ASSERT_TRUE(binance::parse_error_body(binance_klines(query("1m", kStart, std::nullopt, 1501), kNow).body, error));
  EXPECT_EQ(error.code, -1130);
  KlinesQuery bad = query("1m", kStart, std::nullopt, 10);
  bad.symbol = "btc/usdt";
  ASSERT_TRUE(binance::parse_error_body(binance_klines(bad, kNow).body, error));
  EXPECT_EQ(error.code, -1121);
}

TEST(GeneratedBinance, WeightFollowsTheLimit) {
  EXPECT_EQ(binance_klines(query("1m", kStart, std::nullopt, 99), kNow).weight, 1);
  EXPECT_EQ(binance_klines(query("1m", kStart, std::nullopt, 499), kNow).weight, 2);
  EXPECT_EQ(binance_klines(query("1m", kStart, std::nullopt, 1000), kNow).weight, 5);
  EXPECT_EQ(binance_klines(query("1m", kStart, std::nullopt, 1001), kNow).weight, 10);
}

TEST(GeneratedBinance, ExchangeInfoListsNUniquePerpetualsThePluginAccepts) {
  const std::vector<sdk::Symbol> symbols = binance::parse_exchange_info(binance_exchange_info(1000, kNow));
  ASSERT_EQ(symbols.size(), 1000u);
  EXPECT_EQ(symbols.front().native_symbol, "BTCUSDT");
  EXPECT_EQ(symbols[1].native_symbol, "S0001USDT");
  std::vector<std::string> names;
  for (const auto& s : symbols) names.push_back(s.native_symbol);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::unique(names.begin(), names.end()), names.end());
}

}  // namespace
}  // namespace mdp::bench
