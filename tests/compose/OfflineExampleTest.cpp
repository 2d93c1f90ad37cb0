// examples/offline (the "try it without internet" recordings) through the host's real path:
// the built plugins, PluginRegistry, HttpTransport and CandleService's page plan, against the
// manifest loader of mdp-fake-exchange. Proves the recordings are in formats the plugins
// accept and that the host's requests for the documented range hit the recorded routes.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "CandleService.hpp"
#include "FakeExchangeServer.hpp"
#include "HttpTransport.hpp"
#include "PluginRegistry.hpp"

namespace {

using mdp::domain::AdapterError;
using mdp::domain::AdapterErrorCode;
using mdp::domain::CallContext;
using mdp::domain::MarketType;
using mdp::domain::Symbol;

// January 2024 UTC: the recorded range (examples/offline/README.md).
constexpr std::int64_t kJanuaryStart = 1704067200000;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kFebruaryStart = 1706745600000;  // 2024-02-01T00:00:00Z
constexpr std::int64_t kHour = 3'600'000;
constexpr std::size_t kHoursInJanuary = 744;

std::string env_or_fail(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') throw std::runtime_error(std::string(name) + " is not set");
  return value;
}

const char* const kExchanges[] = {"binance_futures", "hyperliquid", "coinbase"};

class OfflineExample : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GT(server_.load_dir(env_or_fail("MDP_SOURCE_DIR") + "/examples/offline"), 0u);
    std::vector<mdp::net::UpstreamConfig> upstreams;
    mdp::plugins::PluginsConfig plugins;
    plugins.plugin_dir = env_or_fail("MDP_PLUGIN_BUILD_DIR");
    for (const char* id : kExchanges) {
      mdp::net::UpstreamConfig upstream;
      upstream.exchange = id;
      upstream.allowed_base_urls = {server_.base_url()};
      upstream.rate.weight_per_window = 100'000;
      upstream.rate.window = std::chrono::minutes(1);
      upstreams.push_back(upstream);
      plugins.enabled.push_back({id, {{"base_url", server_.base_url()}}});
    }
    transport_ = std::make_unique<mdp::net::HttpTransport>(upstreams);
    registry_ = std::make_unique<mdp::plugins::PluginRegistry>(plugins, *transport_);
    for (const auto& status : registry_->statuses()) {
      ASSERT_EQ(status.state, mdp::plugins::PluginState::Loaded) << status.id << ": " << status.reason;
    }
  }

  std::vector<Symbol> symbols(const char* exchange) {
    const CallContext context = CallContext::with_timeout(std::chrono::seconds(30));
    return registry_->find(exchange)->list_symbols(context);
  }

  mdp::service::CandleSeries candles(const char* exchange, const std::string& native_symbol, std::int64_t start,
                                     std::int64_t end) {
    const mdp::service::CandleService service(mdp::service::CandleServiceLimits{});
    mdp::service::CandleQuery query;
    query.native_symbol = native_symbol;
    query.interval = "1h";
    query.start_ms = start;
    query.end_ms = end;
    const CallContext context = CallContext::with_timeout(std::chrono::seconds(30));
    return service.fetch(*registry_->find(exchange), query, context);
  }

  static const Symbol* find_symbol(const std::vector<Symbol>& list, const std::string& canonical) {
    const auto it = std::find_if(list.begin(), list.end(), [&](const Symbol& s) { return s.symbol == canonical; });
    return it == list.end() ? nullptr : &*it;
  }

  static void expect_hourly_run(const mdp::service::CandleSeries& series, std::int64_t start, std::size_t count) {
    ASSERT_EQ(series.candles.size(), count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto& candle = series.candles[i];
      ASSERT_EQ(candle.open_time_ms, start + static_cast<std::int64_t>(i) * kHour) << "row " << i;
      EXPECT_EQ(candle.close_time_ms, candle.open_time_ms + kHour - 1);
      EXPECT_TRUE(candle.closed);
    }
  }

  mdp::fake::FakeExchangeServer server_;
  std::unique_ptr<mdp::net::HttpTransport> transport_;
  std::unique_ptr<mdp::plugins::PluginRegistry> registry_;
};

TEST_F(OfflineExample, binance_lists_the_recorded_perpetuals_and_futures) {
  const std::vector<Symbol> list = symbols("binance_futures");
  ASSERT_EQ(list.size(), 7u);
  const Symbol* btc = find_symbol(list, "BTC/USDT:USDT");
  ASSERT_NE(btc, nullptr);
  EXPECT_EQ(btc->native_symbol, "BTCUSDT");
  EXPECT_EQ(btc->market_type, MarketType::Perpetual);
  EXPECT_EQ(btc->tick_size.value_or(""), "0.1");
  const auto perpetuals = std::count_if(list.begin(), list.end(),
                                        [](const Symbol& s) { return s.market_type == MarketType::Perpetual; });
  EXPECT_EQ(perpetuals, 5);
  const Symbol* quarter = find_symbol(list, "BTC/USDT:USDT-240329");
  ASSERT_NE(quarter, nullptr);
  EXPECT_EQ(quarter->market_type, MarketType::Future);
}

TEST_F(OfflineExample, hyperliquid_and_coinbase_list_their_recorded_markets) {
  const std::vector<Symbol> hyperliquid = symbols("hyperliquid");
  EXPECT_EQ(hyperliquid.size(), 8u);  // 5 perpetuals + 3 spot pairs
  EXPECT_NE(find_symbol(hyperliquid, "BTC/USDC:USDC"), nullptr);
  EXPECT_NE(find_symbol(hyperliquid, "HYPE/USDC"), nullptr);

  const std::vector<Symbol> coinbase = symbols("coinbase");
  EXPECT_EQ(coinbase.size(), 8u);  // 4 spot, 2 dated futures, 2 perpetuals
  const Symbol* btc_usd = find_symbol(coinbase, "BTC/USD");
  ASSERT_NE(btc_usd, nullptr);
  EXPECT_EQ(btc_usd->native_symbol, "BTC-USD");
  EXPECT_NE(find_symbol(coinbase, "BTC/USDC:USDC"), nullptr);
  EXPECT_NE(find_symbol(coinbase, "BTC/USD:USD-240223"), nullptr);
}

TEST_F(OfflineExample, binance_serves_the_month_of_hourly_btc_candles_in_one_request) {
  const auto series = candles("binance_futures", "BTCUSDT", kJanuaryStart, kFebruaryStart);
  expect_hourly_run(series, kJanuaryStart, kHoursInJanuary);
  EXPECT_EQ(series.pages_fetched, 1u);
  // Exact decimals from the recording, made canonical (Binance prints "42283.50").
  EXPECT_EQ(series.candles.front().open, "42283.5");
  EXPECT_TRUE(series.candles.front().quote_volume.has_value());
}

TEST_F(OfflineExample, hyperliquid_serves_the_month_and_any_range_inside_it) {
  expect_hourly_run(candles("hyperliquid", "BTC", kJanuaryStart, kFebruaryStart), kJanuaryStart, kHoursInJanuary);
  const std::int64_t week_start = kJanuaryStart + 10 * 24 * kHour;
  expect_hourly_run(candles("hyperliquid", "BTC", week_start, week_start + 7 * 24 * kHour), week_start, 168);
}

TEST_F(OfflineExample, coinbase_serves_the_month_as_the_three_pages_the_host_asks_for) {
  const auto series = candles("coinbase", "BTC-USD", kJanuaryStart, kFebruaryStart);
  expect_hourly_run(series, kJanuaryStart, kHoursInJanuary);
  EXPECT_EQ(series.pages_fetched, 3u);
}

TEST_F(OfflineExample, a_range_that_was_not_recorded_fails_instead_of_returning_other_rows) {
  try {
    candles("binance_futures", "BTCUSDT", kJanuaryStart, kJanuaryStart + 24 * kHour);
    FAIL() << "expected the unrecorded range to fail";
  } catch (const AdapterError& e) {
    EXPECT_EQ(e.code(), AdapterErrorCode::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("offline recording"), std::string::npos) << e.what();
  }
  EXPECT_THROW(candles("coinbase", "BTC-USD", kJanuaryStart, kJanuaryStart + 24 * kHour), AdapterError);
  EXPECT_THROW(candles("hyperliquid", "ETH", kJanuaryStart, kFebruaryStart), AdapterError);
}

}  // namespace
