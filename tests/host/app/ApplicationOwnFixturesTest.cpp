// Issue 3, "Done when" (first point) on our own fixtures: the three real plugin .so files,
// loaded by mdp::app::Application from the build's plugin directory, list symbols and fetch
// candles over HTTP from FakeExchangeServers serving tests/fixtures/<exchange>/.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "CandleChecks.hpp"
#include "FakeExchangeServer.hpp"
#include "IntegrationPaths.hpp"
#include "PluginRegistry.hpp"
#include "RunningApplication.hpp"

namespace mdp::app::integration {
namespace {

using fake::FakeExchangeServer;
using fake::FakeResponse;
using fake::RouteMatch;

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
const std::string kProducts = "/api/v3/brokerage/market/products";

FakeResponse own(const std::string& exchange, const std::string& file) {
  return FakeResponse::file(own_fixture(exchange, file).string());
}

class ApplicationOwnFixtures : public ::testing::Test {
 protected:
  void SetUp() override {
    binance_klines_ = binance_.add_route(RouteMatch{"GET", "/fapi/v1/klines", {{"symbol", "BTCUSDT"}, {"interval", "1m"}}, {}},
                                         own("binance_futures", "klines_BTCUSDT_1m.json"));

    hyperliquid_candles_ =
        hyperliquid_.add_route(RouteMatch{"POST", "/info", {}, {{"type", "candleSnapshot"}, {"req.coin", "BTC"}}},
                               own("hyperliquid", "candles_BTC_1h.json"));

    coinbase_candles_ = coinbase_.get(kProducts + "/BTC-USD/candles", own("coinbase", "candles_btc_usd_1h.json"));

    app_ = std::make_unique<RunningApplication>(ApplicationOptions{
        {},
        {{kBinance, binance_.base_url()}, {kHyperliquid, hyperliquid_.base_url()}, {kCoinbase, coinbase_.base_url()}},
        {}});
  }

  FakeExchangeServer binance_;
  FakeExchangeServer hyperliquid_;
  FakeExchangeServer coinbase_;
  fake::RouteId binance_klines_ = -1;
  fake::RouteId hyperliquid_candles_ = -1;
  fake::RouteId coinbase_candles_ = -1;
  std::unique_ptr<RunningApplication> app_;
};

// Hyperliquid's and Coinbase's listings, with the two bodies each call asks for.
void serve_hyperliquid_lists(FakeExchangeServer& fake, const std::string& spot_meta, const std::string& meta) {
  fake.add_route(RouteMatch{"POST", "/info", {}, {{"type", "spotMeta"}}}, own("hyperliquid", spot_meta));
  fake.add_route(RouteMatch{"POST", "/info", {}, {{"type", "meta"}}}, own("hyperliquid", meta));
}

void serve_coinbase_lists(FakeExchangeServer& fake, const std::string& spot, const std::string& future) {
  fake.add_route(RouteMatch{"GET", kProducts, {{"product_type", "SPOT"}}, {}}, own("coinbase", spot));
  // FUTURE, and FUTURE + contract_expiry_type=PERPETUAL: the plugin de-duplicates the overlap.
  fake.add_route(RouteMatch{"GET", kProducts, {{"product_type", "FUTURE"}}, {}}, own("coinbase", future));
}

TEST_F(ApplicationOwnFixtures, AllThreePluginsLoadFromThePluginDirectory) {
  const auto& statuses = app_->app().plugins().statuses();
  ASSERT_EQ(statuses.size(), 3u);
  for (const auto& status : statuses) {
    EXPECT_EQ(status.state, plugins::PluginState::Loaded) << status.id << ": " << status.reason;
    EXPECT_EQ(status.path, (plugin_build_dir() / ("mdp-" + status.id + ".so")).string());
    ASSERT_TRUE(status.descriptor.has_value()) << status.id;
    EXPECT_EQ(status.descriptor->id, status.id);
  }
  EXPECT_TRUE(app_->app().plugins().all_loaded());
  // Page caps from issue 3: Binance klines 1500, Hyperliquid candleSnapshot 5000, Coinbase 350.
  const std::pair<const char*, std::uint32_t> caps[] = {{kBinance, 1500u}, {kHyperliquid, 5000u}, {kCoinbase, 350u}};
  for (const auto& [id, cap] : caps) {
    for (const auto& interval : app_->adapter(id)->descriptor().intervals) {
      EXPECT_EQ(interval.page_cap, cap) << id << " " << interval.interval;
    }
  }
}

TEST_F(ApplicationOwnFixtures, BinanceListsSymbolsAndCandlesFromTheFake) {
  binance_.get("/fapi/v1/exchangeInfo", own("binance_futures", "exchangeInfo_all_kinds.json"));
  auto binance = app_->adapter(kBinance);
  const auto symbols = binance->list_symbols(generous_context());
  ASSERT_EQ(symbols.size(), 25u) << "every entry of exchangeInfo_all_kinds.json";
  expect_symbol_invariants(symbols, kBinance);
  EXPECT_EQ(symbols[0].symbol, "BTC/USDT:USDT");
  EXPECT_EQ(symbols[0].tick_size.value_or(""), "0.1");

  const std::int64_t start = 1'704'164'640'000;  // first row of klines_BTCUSDT_1m.json
  const auto page = binance->fetch_candles({"BTCUSDT", "1m", start, start + 4 * kMinute, 1500}, generous_context());
  ASSERT_EQ(page.candles.size(), 4u);
  expect_candle_invariants(page.candles, "binance klines");
  EXPECT_EQ(page.candles[0].open_time_ms, start);
  EXPECT_EQ(page.candles[0].close_time_ms, start + kMinute - 1);
  EXPECT_EQ(page.candles[0].open, "42100.1");
  EXPECT_EQ(page.candles[0].quote_volume.value_or(""), "5063521.4");
  EXPECT_EQ(page.candles[0].trades.value_or(-1), 1512);
  EXPECT_EQ(page.candles[1].volume, "0") << "a zero-volume bucket is a real row";
  EXPECT_FALSE(page.next_start_ms.has_value());

  const auto requests = binance_.requests(binance_klines_);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].param("startTime").value_or(""), std::to_string(start));
  EXPECT_EQ(requests[0].param("endTime").value_or(""), std::to_string(start + 4 * kMinute - 1));
  EXPECT_EQ(requests[0].param("limit").value_or(""), "1500");
}

TEST_F(ApplicationOwnFixtures, HyperliquidListsSymbolsAndCandlesFromTheFake) {
  // Every perp of meta_all_cases (spotMeta_all_cases is below: its colliding pairs).
  serve_hyperliquid_lists(hyperliquid_, "spotMeta_collateral_tokens.json", "meta_all_cases.json");
  auto hyperliquid = app_->adapter(kHyperliquid);
  const auto symbols = hyperliquid->list_symbols(generous_context());
  ASSERT_EQ(symbols.size(), 9u) << "the 9 perps of meta_all_cases, delisted ones included";
  expect_symbol_invariants(symbols, kHyperliquid);
  EXPECT_EQ(symbols[0].symbol, "BTC/USDC:USDC");
  EXPECT_EQ(symbols[2].symbol, "kPEPE/USDC:USDC");
  EXPECT_EQ(hyperliquid_.request_count(), 2u) << "spotMeta, then meta";

  // candles_BTC_1h.json: 5 hourly rows from t0; the first opens before the requested start.
  const std::int64_t t0 = 1'699'999'200'000;
  const auto page = hyperliquid->fetch_candles({"BTC", "1h", t0 + kHour, t0 + 5 * kHour, 5000}, generous_context());
  ASSERT_EQ(page.candles.size(), 4u) << "the row before start is dropped";
  expect_candle_invariants(page.candles, "hyperliquid candleSnapshot");
  EXPECT_EQ(page.candles.front().open_time_ms, t0 + kHour);
  EXPECT_EQ(page.candles.back().open_time_ms, t0 + 4 * kHour);
  EXPECT_FALSE(page.candles[0].quote_volume.has_value()) << "Hyperliquid gives none: absent, not 0";
  EXPECT_EQ(page.candles[0].trades.value_or(-1), 101);
  ASSERT_EQ(hyperliquid_.hits(hyperliquid_candles_), 1u);
  EXPECT_NE(hyperliquid_.requests(hyperliquid_candles_)[0].body.find(R"("coin":"BTC","interval":"1h")"),
            std::string::npos);
}

TEST_F(ApplicationOwnFixtures, CoinbaseListsSymbolsAndCandlesFromTheFake) {
  // Spot listed over two offset pages (products_page1/2), no futures.
  coinbase_.add_route(RouteMatch{"GET", kProducts, {{"product_type", "SPOT"}, {"offset", "2"}}, {}},
                      own("coinbase", "products_page2.json"));
  serve_coinbase_lists(coinbase_, "products_page1.json", "products_empty.json");
  auto coinbase = app_->adapter(kCoinbase);
  const auto symbols = coinbase->list_symbols(generous_context());
  ASSERT_EQ(symbols.size(), 3u) << "AAA-USD, BBB-USD from page 1, CCC-USD from page 2";
  expect_symbol_invariants(symbols, kCoinbase);
  EXPECT_EQ(symbols[2].symbol, "CCC/USD");

  // candles_btc_usd_1h.json: 4 hourly rows newest first, 02:00 missing.
  const std::int64_t first = 1'712'188'800'000;
  const auto page = coinbase->fetch_candles({"BTC-USD", "1h", first, first + 5 * kHour, 350}, generous_context());
  ASSERT_EQ(page.candles.size(), 4u) << "the empty hour stays absent";
  expect_candle_invariants(page.candles, "coinbase candles");
  EXPECT_EQ(page.candles[0].open_time_ms, first);
  EXPECT_EQ(page.candles[2].open_time_ms, first + 3 * kHour) << "ascending, gap kept";
  EXPECT_EQ(page.candles[0].open, "65984.18");
  EXPECT_FALSE(page.candles[0].trades.has_value());
  EXPECT_FALSE(page.next_start_ms.has_value());
  EXPECT_EQ(coinbase_.hits(coinbase_candles_), 1u);
}

// Colliding markets pass the host's output validation: the plugin keeps the plain canonical
// form for one and lists each other as the strict form + "~" + its own native symbol
// (CONTRACT.md rule 31), which the host accepts only for exactly that suffix.
const domain::Symbol* find_native(const std::vector<domain::Symbol>& symbols, const std::string& native) {
  for (const domain::Symbol& s : symbols) {
    if (s.native_symbol == native) return &s;
  }
  return nullptr;
}

TEST_F(ApplicationOwnFixtures, HyperliquidListsCollidingSpotPairs) {
  serve_hyperliquid_lists(hyperliquid_, "spotMeta_all_cases.json", "meta_all_cases.json");
  const auto symbols = app_->adapter(kHyperliquid)->list_symbols(generous_context());
  EXPECT_EQ(symbols.size(), 17u) << "meta_all_cases + spotMeta_all_cases, skipped pairs left out";
  expect_symbol_invariants(symbols, kHyperliquid);
  const std::pair<const char*, const char*> expected[] = {
      {"TINY/USDC", "TINY/USDC"}, {"@5", "TINY/USDC~@5"},     {"@107", "HYPE/USDC"},
      {"@230", "HYPE/USDC~@230"}, {"PURR/USDC", "PURR/USDC"}, {"@250", "PURR/USDC~@250"}};
  for (const auto& [native, symbol] : expected) {
    const domain::Symbol* s = find_native(symbols, native);
    ASSERT_NE(s, nullptr) << native;
    EXPECT_EQ(s->symbol, symbol) << native;
  }
}

TEST_F(ApplicationOwnFixtures, CoinbaseListsCollidingProducts) {
  serve_coinbase_lists(coinbase_, "products_spot.json", "products_future.json");
  const auto symbols = app_->adapter(kCoinbase)->list_symbols(generous_context());
  EXPECT_EQ(symbols.size(), 20u) << "15 spot + 5 futures, the FUTURE/PERPETUAL overlap de-duplicated";
  expect_symbol_invariants(symbols, kCoinbase);
  std::size_t suffixed = 0;
  for (const domain::Symbol& s : symbols) {
    const std::size_t tilde = s.symbol.find('~');
    if (tilde == std::string::npos) continue;
    ++suffixed;
    EXPECT_EQ(s.symbol.substr(tilde + 1), s.native_symbol) << s.symbol;
  }
  EXPECT_GT(suffixed, 0u) << "the fixtures hold colliding products";
}

}  // namespace
}  // namespace mdp::app::integration
