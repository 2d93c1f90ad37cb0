// The benchmark payloads must be what the issue asks for: the exchanges' exact wire formats,
// the same bytes on every run, parsed by the plugins' own functions into the expected rows;
// and the manifest every side reads must round-trip.
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "CandlePayloads.hpp"
#include "DecimalText.hpp"
#include "PayloadManifest.hpp"
#include "PluginParse.hpp"

namespace {

using mdp::bench::Trailing;
using mdp::bench::decimal_text;

TEST(DecimalText, KeepsFixedWidth) {
  EXPECT_EQ(decimal_text(10248000, 2, Trailing::Keep), "102480.00");
  EXPECT_EQ(decimal_text(5, 3, Trailing::Keep), "0.005");
  EXPECT_EQ(decimal_text(0, 2, Trailing::Keep), "0.00");
  EXPECT_EQ(decimal_text(42, 0, Trailing::Keep), "42");
}

TEST(DecimalText, KeepOneLeavesOneFractionalDigit) {
  EXPECT_EQ(decimal_text(292950, 1, Trailing::KeepOne), "29295.0");
  EXPECT_EQ(decimal_text(12340, 4, Trailing::KeepOne), "1.234");
  EXPECT_EQ(decimal_text(10000, 4, Trailing::KeepOne), "1.0");
  EXPECT_EQ(decimal_text(7, 0, Trailing::KeepOne), "7.0");
}

TEST(DecimalText, DropPrintsShortest) {
  EXPECT_EQ(decimal_text(6631240, 2, Trailing::Drop), "66312.4");
  EXPECT_EQ(decimal_text(6631200, 2, Trailing::Drop), "66312");
  EXPECT_EQ(decimal_text(70949541, 8, Trailing::Drop), "0.70949541");
}

TEST(DecimalText, RefusesNegativeUnits) {
  EXPECT_THROW(decimal_text(-1, 2, Trailing::Keep), std::invalid_argument);
}

TEST(CandlePayloads, SameSeedSameBytesOtherSeedOtherBytes) {
  EXPECT_EQ(mdp::bench::binance_klines_body(50, 1), mdp::bench::binance_klines_body(50, 1));
  EXPECT_NE(mdp::bench::binance_klines_body(50, 1), mdp::bench::binance_klines_body(50, 2));
  EXPECT_EQ(mdp::bench::hyperliquid_candle_snapshot_body(50, 2), mdp::bench::hyperliquid_candle_snapshot_body(50, 2));
  EXPECT_EQ(mdp::bench::coinbase_candles_body(50, 3), mdp::bench::coinbase_candles_body(50, 3));
}

TEST(CandlePayloads, BinanceKlinesHaveTheWireShape) {
  const std::string body = mdp::bench::binance_klines_body(2, 1);
  // [openTime,"o","h","l","c","v",closeTime,"quoteVolume",trades,"takerBase","takerQuote","0"]
  EXPECT_EQ(body.rfind("[[1762344000000,\"102325.60\",\"", 0), 0u) << body;
  EXPECT_NE(body.find(",1762344059999,\""), std::string::npos) << body;
  EXPECT_NE(body.find(",\"0\"],[1762344060000,\""), std::string::npos) << body;
  EXPECT_EQ(body.substr(body.size() - 6), ",\"0\"]]");
}

TEST(CandlePayloads, HyperliquidSnapshotHasTheWireKeyOrder) {
  const std::string body = mdp::bench::hyperliquid_candle_snapshot_body(2, 2);
  EXPECT_EQ(body.rfind("[{\"T\":1762344059999,\"c\":\"", 0), 0u) << body;
  const auto first = body.substr(0, body.find('}'));
  std::size_t last = 0;
  for (const char* key : {"\"T\":", "\"c\":", "\"h\":", "\"i\":\"1m\"", "\"l\":", "\"n\":", "\"o\":", "\"s\":\"ETH\"",
                          "\"t\":1762344000000", "\"v\":"}) {
    const std::size_t at = first.find(key);
    ASSERT_NE(at, std::string::npos) << key << " in " << first;
    EXPECT_GE(at, last) << key << " out of order in " << first;
    last = at;
  }
}

TEST(CandlePayloads, CoinbaseCandlesAreNewestFirstStrings) {
  const std::string body = mdp::bench::coinbase_candles_body(3, 3);
  // Newest first: the third minute's start comes first.
  EXPECT_EQ(body.rfind("{\"candles\":[{\"start\":\"1762344120\",\"low\":\"", 0), 0u) << body;
  EXPECT_NE(body.find("{\"start\":\"1762344000\""), std::string::npos) << body;
  EXPECT_EQ(body.substr(body.size() - 3), "}]}");
}

struct Generated {
  const char* exchange;
  std::string (*make)(std::size_t, std::uint64_t);
  std::size_t rows;
};

TEST(CandlePayloads, ThePluginsParseEveryGeneratedRow) {
  const Generated cases[] = {{"binance_futures", mdp::bench::binance_klines_body, 1500},
                             {"hyperliquid", mdp::bench::hyperliquid_candle_snapshot_body, 5000},
                             {"coinbase", mdp::bench::coinbase_candles_body, 300}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.exchange);
    std::vector<mdp::sdk::Candle> rows;
    ASSERT_EQ(mdp::bench::PluginParse(c.exchange, "1m")(c.make(c.rows, 7), rows), c.rows);
    EXPECT_EQ(rows.front().open_time_ms, mdp::bench::kGeneratedStartMs);
    EXPECT_EQ(rows.back().open_time_ms,
              mdp::bench::kGeneratedStartMs + static_cast<std::int64_t>(c.rows - 1) * mdp::bench::kOneMinuteMs);
    for (const auto& row : rows) {
      // A plausible candle: low <= open, close <= high (doubles are fine for a shape check).
      ASSERT_LE(std::stod(row.low), std::stod(row.open));
      ASSERT_LE(std::stod(row.low), std::stod(row.close));
      ASSERT_GE(std::stod(row.high), std::stod(row.open));
      ASSERT_GE(std::stod(row.high), std::stod(row.close));
      ASSERT_GT(std::stod(row.volume), 0.0);
    }
  }
}

TEST(CandlePayloads, DecimalsVaryInLength) {
  // "realistic price/volume text with varying decimals": canonical volumes of several lengths.
  std::vector<mdp::sdk::Candle> rows;
  mdp::bench::PluginParse("hyperliquid", "1m")(mdp::bench::hyperliquid_candle_snapshot_body(500, 2), rows);
  std::vector<bool> seen(20, false);
  for (const auto& row : rows) seen.at(row.volume.size()) = true;
  int lengths = 0;
  for (const bool s : seen) lengths += s ? 1 : 0;
  EXPECT_GE(lengths, 4);
}

TEST(PluginParse, RefusesUnknownExchangeOrInterval) {
  EXPECT_THROW(mdp::bench::PluginParse("kraken", "1m"), std::invalid_argument);
  EXPECT_THROW(mdp::bench::PluginParse("coinbase", "3m"), std::invalid_argument);  // Coinbase has no 3m
  EXPECT_NO_THROW(mdp::bench::PluginParse("hyperliquid", "1h"));
}

TEST(PayloadManifest, RoundTripsEveryField) {
  const auto dir = std::filesystem::temp_directory_path() / ("mdp-bench-manifest-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  mdp::bench::PayloadEntry ok;
  ok.exchange = "binance_futures";
  ok.payload = "gen-1500";
  ok.interval = "1m";
  ok.rows = 1500;
  ok.bytes = 203536;
  ok.file = dir / "a.json";
  mdp::bench::PayloadEntry skipped = ok;
  skipped.skipped = true;
  skipped.rows = 0;
  skipped.note = "the plugin rejects it:\ttab";  // tabs cannot break the line format
  mdp::bench::write_manifest(dir / "manifest.tsv", {ok, skipped});
  const auto read = mdp::bench::read_manifest(dir / "manifest.tsv");
  ASSERT_EQ(read.size(), 2u);
  EXPECT_FALSE(read[0].skipped);
  EXPECT_EQ(read[0].exchange, "binance_futures");
  EXPECT_EQ(read[0].payload, "gen-1500");
  EXPECT_EQ(read[0].interval, "1m");
  EXPECT_EQ(read[0].rows, 1500u);
  EXPECT_EQ(read[0].bytes, 203536u);
  EXPECT_EQ(read[0].file, dir / "a.json");
  EXPECT_TRUE(read[1].skipped);
  EXPECT_EQ(read[1].note, "the plugin rejects it: tab");
  mdp::bench::write_bytes(dir / "bad.tsv", "status\texchange\n");
  EXPECT_THROW(mdp::bench::read_manifest(dir / "bad.tsv"), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
