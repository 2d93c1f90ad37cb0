// Issue 3, "Done when" (first point) on the recorded real responses: when
// $MDP_SOURCE_DIR/../shared/fixtures exists, FakeExchangeServers serve those bytes and the
// plugins the Application loaded must list every symbol (unique, exact decimals) and return
// every candle of each recorded page (ascending, open < close, low <= open, close <= high,
// the exchange's decimal text up to trailing zeros). Without the folder each test says so
// and skips: the recordings are never copied into the repository.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "CandleChecks.hpp"
#include "CandleService.hpp"
#include "FakeExchangeServer.hpp"
#include "IntegrationPaths.hpp"
#include "RunningApplication.hpp"

namespace mdp::app::integration {
namespace {

using fake::FakeExchangeServer;
using fake::FakeResponse;
using fake::RouteMatch;

#define REQUIRE_RECORDINGS(exchange, dir_var)                                                                      \
  const std::optional<std::filesystem::path> dir_var = shared_fixture_dir(exchange);                               \
  if (!dir_var) {                                                                                                  \
    GTEST_SKIP() << "$MDP_SOURCE_DIR/../shared/fixtures/" << (exchange)                                             \
                 << " is not present: the run over recorded real responses is skipped (our own fixtures are "      \
                    "covered by ApplicationOwnFixtures)";                                                          \
  }

Poco::Dynamic::Var parse_json(const std::filesystem::path& file) { return Poco::JSON::Parser().parse(read_file(file)); }

std::int64_t as_int(const Poco::Dynamic::Var& value) { return value.convert<std::int64_t>(); }
std::string as_text(const Poco::Dynamic::Var& value) { return value.convert<std::string>(); }

std::vector<std::string> files_named(const std::filesystem::path& dir, const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".json" &&
        name.find(".request.json") == std::string::npos) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

service::CandleSeries fetch_series(domain::ExchangeAdapter& adapter, const std::string& native, const std::string& interval,
                                   std::int64_t start, std::int64_t end) {
  const service::CandleService service{service::CandleServiceLimits{}};
  service::CandleQuery query;
  query.native_symbol = native;
  query.interval = interval;
  query.start_ms = start;
  query.end_ms = end;
  return service.fetch(adapter, query, generous_context());
}

std::string interval_of_duration(std::int64_t duration_ms) {
  static const std::map<std::int64_t, std::string> codes = {
      {60'000, "1m"}, {300'000, "5m"}, {900'000, "15m"}, {3'600'000, "1h"}, {86'400'000, "1d"}, {604'800'000, "1w"}};
  const auto it = codes.find(duration_ms);
  return it == codes.end() ? "" : it->second;
}

// ------------------------------------------------------------------ Binance USD-M

TEST(ApplicationRecordedFixtures, BinanceListsEveryRecordedSymbolWithExactFilters) {
  REQUIRE_RECORDINGS("binance_futures", dir);
  for (const std::string& name : files_named(*dir, "")) {
    if (name.find("exchangeInfo") == std::string::npos) continue;
    SCOPED_TRACE(name);
    FakeExchangeServer binance;
    binance.get("/fapi/v1/exchangeInfo", FakeResponse::file((*dir / name).string()));
    RunningApplication running(ApplicationOptions{{}, {{kBinance, binance.base_url()}}, {}});
    const std::vector<domain::Symbol> symbols = running.adapter(kBinance)->list_symbols(generous_context());

    const auto raw = parse_json(*dir / name).extract<Poco::JSON::Object::Ptr>()->getArray("symbols");
    ASSERT_EQ(symbols.size(), raw->size()) << "every recorded symbol is listed";
    expect_symbol_invariants(symbols, kBinance);
    std::map<std::string, const domain::Symbol*> by_native;
    for (const auto& s : symbols) by_native[s.native_symbol] = &s;
    for (std::size_t i = 0; i < raw->size(); ++i) {
      const auto entry = raw->getObject(static_cast<unsigned>(i));
      const std::string native = entry->getValue<std::string>("symbol");
      ASSERT_TRUE(by_native.count(native)) << native;
      const domain::Symbol& s = *by_native[native];
      EXPECT_EQ(s.base, entry->getValue<std::string>("baseAsset"));
      const auto filters = entry->getArray("filters");
      for (std::size_t f = 0; filters && f < filters->size(); ++f) {
        const auto filter = filters->getObject(static_cast<unsigned>(f));
        if (filter->getValue<std::string>("filterType") == "PRICE_FILTER") {
          EXPECT_EQ(s.tick_size.value_or(""), without_trailing_zeros(filter->getValue<std::string>("tickSize"))) << native;
        } else if (filter->getValue<std::string>("filterType") == "LOT_SIZE") {
          EXPECT_EQ(s.lot_step.value_or(""), without_trailing_zeros(filter->getValue<std::string>("stepSize"))) << native;
        }
      }
    }
    std::cout << "[recorded] binance " << name << ": " << symbols.size() << " symbols through the host\n";
  }
}

TEST(ApplicationRecordedFixtures, BinanceReturnsEveryRecordedKline) {
  REQUIRE_RECORDINGS("binance_futures", dir);
  std::size_t pages = 0;
  for (const std::string& name : files_named(*dir, "")) {
    if (name.find("klines") == std::string::npos) continue;
    SCOPED_TRACE(name);
    const auto rows = parse_json(*dir / name).extract<Poco::JSON::Array::Ptr>();
    ASSERT_GT(rows->size(), 0u);
    const auto first = rows->getArray(0);
    const std::int64_t duration = as_int(first->get(6)) + 1 - as_int(first->get(0));
    const std::string interval = interval_of_duration(duration);
    ASSERT_FALSE(interval.empty()) << "unknown kline width " << duration;
    const std::int64_t start = as_int(first->get(0));
    const std::int64_t end = as_int(rows->getArray(static_cast<unsigned>(rows->size() - 1))->get(0)) + duration;

    FakeExchangeServer binance;
    const auto klines = binance.get("/fapi/v1/klines", FakeResponse::file((*dir / name).string()));
    RunningApplication running(ApplicationOptions{{}, {{kBinance, binance.base_url()}}, {}});
    const auto series = fetch_series(*running.adapter(kBinance), "BTCUSDT", interval, start, end);

    ASSERT_EQ(series.candles.size(), rows->size());
    EXPECT_EQ(binance.hits(klines), 1u) << "one page";
    expect_candle_invariants(series.candles, name);
    for (std::size_t i = 0; i < rows->size(); ++i) {
      const auto row = rows->getArray(static_cast<unsigned>(i));
      const domain::Candle& c = series.candles[i];
      EXPECT_EQ(c.open_time_ms, as_int(row->get(0)));
      EXPECT_EQ(c.close_time_ms, as_int(row->get(6)));
      EXPECT_EQ(c.open, without_trailing_zeros(as_text(row->get(1))));
      EXPECT_EQ(c.high, without_trailing_zeros(as_text(row->get(2))));
      EXPECT_EQ(c.low, without_trailing_zeros(as_text(row->get(3))));
      EXPECT_EQ(c.close, without_trailing_zeros(as_text(row->get(4))));
      EXPECT_EQ(c.volume, without_trailing_zeros(as_text(row->get(5))));
      EXPECT_EQ(c.quote_volume.value_or(""), without_trailing_zeros(as_text(row->get(7))));
      EXPECT_EQ(c.trades.value_or(-1), as_int(row->get(8)));
    }
    ++pages;
  }
  EXPECT_GT(pages, 0u) << "no recorded klines found";
}

// ------------------------------------------------------------------ Hyperliquid

TEST(ApplicationRecordedFixtures, HyperliquidListsEveryRecordedPerpAndSpotPair) {
  REQUIRE_RECORDINGS("hyperliquid", dir);
  const std::string meta = "meta_2023-07-17.json";
  const std::string spot = "spotMeta_2025-11-09_slice.json";
  FakeExchangeServer hyperliquid;
  hyperliquid.add_route(RouteMatch{"POST", "/info", {}, {{"type", "meta"}}}, FakeResponse::file((*dir / meta).string()));
  hyperliquid.add_route(RouteMatch{"POST", "/info", {}, {{"type", "spotMeta"}}},
                        FakeResponse::file((*dir / spot).string()));
  RunningApplication running(ApplicationOptions{{}, {{kHyperliquid, hyperliquid.base_url()}}, {}});
  const auto symbols = running.adapter(kHyperliquid)->list_symbols(generous_context());

  const std::size_t perps_recorded =
      parse_json(*dir / meta).extract<Poco::JSON::Object::Ptr>()->getArray("universe")->size();
  const std::size_t pairs_recorded =
      parse_json(*dir / spot).extract<Poco::JSON::Object::Ptr>()->getArray("universe")->size();
  std::size_t perps = 0;
  for (const auto& s : symbols) perps += s.market_type == domain::MarketType::Perpetual ? 1 : 0;
  EXPECT_EQ(perps, perps_recorded);
  EXPECT_EQ(symbols.size(), perps_recorded + pairs_recorded) << "every coin and every spot pair";
  expect_symbol_invariants(symbols, kHyperliquid);
  std::cout << "[recorded] hyperliquid " << meta << " + " << spot << ": " << symbols.size() << " symbols\n";
}

TEST(ApplicationRecordedFixtures, HyperliquidReturnsEveryRecordedCandleInTheRange) {
  REQUIRE_RECORDINGS("hyperliquid", dir);
  std::size_t pages = 0;
  for (const std::string& name : files_named(*dir, "candleSnapshot_")) {
    SCOPED_TRACE(name);
    const auto rows = parse_json(*dir / name).extract<Poco::JSON::Array::Ptr>();
    ASSERT_GT(rows->size(), 0u);
    const auto first = rows->getObject(0);
    std::string coin = first->getValue<std::string>("s");
    std::string interval = first->getValue<std::string>("i");
    std::int64_t start = as_int(first->get("t"));
    std::int64_t end = as_int(rows->getObject(static_cast<unsigned>(rows->size() - 1))->get("T")) + 1;
    const auto request_file = *dir / (name.substr(0, name.size() - 5) + ".request.json");
    if (std::filesystem::exists(request_file)) {  // the range the recording was asked for
      const auto req = parse_json(request_file).extract<Poco::JSON::Object::Ptr>()->getObject("req");
      coin = req->getValue<std::string>("coin");
      interval = req->getValue<std::string>("interval");
      start = as_int(req->get("startTime"));
      end = as_int(req->get("endTime")) + 1;  // recorded endTime is inclusive
    }

    FakeExchangeServer hyperliquid;
    hyperliquid.add_route(RouteMatch{"POST", "/info", {}, {{"type", "candleSnapshot"}, {"req.coin", coin}}},
                          FakeResponse::file((*dir / name).string()));
    RunningApplication running(ApplicationOptions{{}, {{kHyperliquid, hyperliquid.base_url()}}, {}});
    const auto series = fetch_series(*running.adapter(kHyperliquid), coin, interval, start, end);

    std::vector<Poco::JSON::Object::Ptr> inside;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      const auto row = rows->getObject(static_cast<unsigned>(i));
      const std::int64_t t = as_int(row->get("t"));
      if (t >= start && t < end) inside.push_back(row);
    }
    ASSERT_EQ(series.candles.size(), inside.size()) << "rows outside [start, end) dropped, all others kept";
    expect_candle_invariants(series.candles, name);
    for (std::size_t i = 0; i < inside.size(); ++i) {
      const domain::Candle& c = series.candles[i];
      EXPECT_EQ(c.open_time_ms, as_int(inside[i]->get("t")));
      EXPECT_EQ(c.close_time_ms, as_int(inside[i]->get("T")));
      EXPECT_EQ(c.open, without_trailing_zeros(inside[i]->getValue<std::string>("o")));
      EXPECT_EQ(c.high, without_trailing_zeros(inside[i]->getValue<std::string>("h")));
      EXPECT_EQ(c.low, without_trailing_zeros(inside[i]->getValue<std::string>("l")));
      EXPECT_EQ(c.close, without_trailing_zeros(inside[i]->getValue<std::string>("c")));
      EXPECT_EQ(c.volume, without_trailing_zeros(inside[i]->getValue<std::string>("v")));
      EXPECT_FALSE(c.quote_volume.has_value());
      EXPECT_EQ(c.trades.value_or(-1), as_int(inside[i]->get("n")));
    }
    ++pages;
  }
  EXPECT_GT(pages, 0u) << "no recorded candleSnapshot found";
}

// ------------------------------------------------------------------ Coinbase

TEST(ApplicationRecordedFixtures, CoinbaseListsEveryRecordedProduct) {
  REQUIRE_RECORDINGS("coinbase", dir);
  const std::string products = "/api/v3/brokerage/market/products";
  FakeExchangeServer coinbase;
  coinbase.add_route(RouteMatch{"GET", products, {{"product_type", "SPOT"}}, {}},
                     FakeResponse::file((*dir / "nautilus_products.json").string()));
  coinbase.add_route(RouteMatch{"GET", products, {{"product_type", "FUTURE"}}, {}},
                     FakeResponse::file((*dir / "nautilus_products_future.json").string()));
  RunningApplication running(ApplicationOptions{{}, {{kCoinbase, coinbase.base_url()}}, {}});
  const auto symbols = running.adapter(kCoinbase)->list_symbols(generous_context());

  std::set<std::string> recorded;
  for (const char* file : {"nautilus_products.json", "nautilus_products_future.json"}) {
    const auto list = parse_json(*dir / file).extract<Poco::JSON::Object::Ptr>()->getArray("products");
    for (std::size_t i = 0; i < list->size(); ++i) {
      recorded.insert(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("product_id"));
    }
  }
  std::set<std::string> listed;
  for (const auto& s : symbols) listed.insert(s.native_symbol);
  EXPECT_EQ(listed, recorded) << "every recorded product, the FUTURE/PERPETUAL overlap once";
  expect_symbol_invariants(symbols, kCoinbase);
}

TEST(ApplicationRecordedFixtures, CoinbaseReturnsEveryRecordedCandleAscending) {
  REQUIRE_RECORDINGS("coinbase", dir);
  const std::string name = "nautilus_candles.json";
  const auto rows = parse_json(*dir / name).extract<Poco::JSON::Object::Ptr>()->getArray("candles");
  ASSERT_GT(rows->size(), 0u);
  // Newest first on the wire.
  std::vector<Poco::JSON::Object::Ptr> ascending;
  for (std::size_t i = rows->size(); i-- > 0;) ascending.push_back(rows->getObject(static_cast<unsigned>(i)));
  const std::int64_t start = std::stoll(ascending.front()->getValue<std::string>("start")) * 1000;
  const std::int64_t end = std::stoll(ascending.back()->getValue<std::string>("start")) * 1000 + 3'600'000;

  FakeExchangeServer coinbase;
  coinbase.get("/api/v3/brokerage/market/products/BTC-USD/candles", FakeResponse::file((*dir / name).string()));
  RunningApplication running(ApplicationOptions{{}, {{kCoinbase, coinbase.base_url()}}, {}});
  const auto series = fetch_series(*running.adapter(kCoinbase), "BTC-USD", "1h", start, end);

  ASSERT_EQ(series.candles.size(), ascending.size());
  expect_candle_invariants(series.candles, name);
  for (std::size_t i = 0; i < ascending.size(); ++i) {
    const domain::Candle& c = series.candles[i];
    EXPECT_EQ(c.open_time_ms, std::stoll(ascending[i]->getValue<std::string>("start")) * 1000);
    EXPECT_EQ(c.open, without_trailing_zeros(ascending[i]->getValue<std::string>("open")));
    EXPECT_EQ(c.high, without_trailing_zeros(ascending[i]->getValue<std::string>("high")));
    EXPECT_EQ(c.low, without_trailing_zeros(ascending[i]->getValue<std::string>("low")));
    EXPECT_EQ(c.close, without_trailing_zeros(ascending[i]->getValue<std::string>("close")));
    EXPECT_EQ(c.volume, without_trailing_zeros(ascending[i]->getValue<std::string>("volume")));
  }
}

}  // namespace
}  // namespace mdp::app::integration
