// Unit tests of mdp_coinbase_parsers on the hand-made fixtures in tests/fixtures/coinbase.
#include <gtest/gtest.h>

#include "CoinbaseParsers.hpp"
#include "CoinbaseTestSupport.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace cb = mdp::coinbase;
using coinbase_test::expect_error;
using coinbase_test::fixture;
using mdp::sdk::Candle;
using mdp::sdk::Symbol;

namespace {

std::map<std::string, Symbol> by_native(const std::vector<Symbol>& symbols) {
  std::map<std::string, Symbol> out;
  for (const Symbol& s : symbols) out[s.native_symbol] = s;
  return out;
}

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t k0000 = 1712188800000;  // 2024-04-04T00:00:00Z

}  // namespace

// ------------------------------------------------------------------ intervals

TEST(CoinbaseIntervals, NineGranularitiesWithDurations) {
  ASSERT_EQ(cb::kIntervalCount, 9u);
  const std::map<std::string, std::pair<std::string, std::int64_t>> expected = {
      {"1m", {"ONE_MINUTE", 60'000}},        {"5m", {"FIVE_MINUTE", 300'000}},
      {"15m", {"FIFTEEN_MINUTE", 900'000}},  {"30m", {"THIRTY_MINUTE", 1'800'000}},
      {"1h", {"ONE_HOUR", 3'600'000}},       {"2h", {"TWO_HOUR", 7'200'000}},
      {"4h", {"FOUR_HOUR", 14'400'000}},     {"6h", {"SIX_HOUR", 21'600'000}},
      {"1d", {"ONE_DAY", 86'400'000}}};
  for (const auto& [code, native] : expected) {
    const cb::IntervalInfo* info = cb::find_interval(code);
    ASSERT_NE(info, nullptr) << code;
    EXPECT_EQ(info->granularity, native.first);
    EXPECT_EQ(info->duration_ms, native.second);
  }
  for (const char* code : {"3m", "8h", "12h", "3d", "1w", "1M", "", "1H"}) {
    EXPECT_EQ(cb::find_interval(code), nullptr) << code;
  }
  EXPECT_EQ(cb::supported_intervals_text(), "1m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 1d");
  EXPECT_EQ(cb::kCandlePageCap, 350u);
}

// ------------------------------------------------------------------ spot products

TEST(CoinbaseSymbols, SpotPageFieldsAndCounts) {
  const cb::ProductsPage page = cb::parse_products_page(fixture("products_spot.json"));
  EXPECT_EQ(page.raw_count, 15u);
  EXPECT_EQ(page.products.size(), 15u);
  EXPECT_TRUE(page.skipped.empty());
  EXPECT_EQ(page.num_products, 15);  // sent as the string "15"
  EXPECT_FALSE(page.has_next);       // "pagination": null
}

TEST(CoinbaseSymbols, SpotMapping) {
  const auto symbols = cb::parse_symbols(fixture("products_spot.json"));
  ASSERT_EQ(symbols.size(), 15u);
  const auto s = by_native(symbols);

  const Symbol& btc = s.at("BTC-USD");
  EXPECT_EQ(btc.symbol, "BTC/USD");
  EXPECT_EQ(btc.market_type, MDP_MARKET_SPOT);
  EXPECT_EQ(btc.status, MDP_SYMBOL_TRADING);
  EXPECT_EQ(btc.native_status, "online");
  EXPECT_EQ(btc.base, "BTC");
  EXPECT_EQ(btc.quote, "USD");
  EXPECT_EQ(btc.settle, "");
  EXPECT_EQ(btc.tick_size, "0.01");
  EXPECT_EQ(btc.lot_step, "0.00000001");
  EXPECT_EQ(btc.min_qty, "0.00000001");
  EXPECT_EQ(btc.min_notional, "1");
  EXPECT_EQ(btc.contract_size, "");
  EXPECT_EQ(btc.listed_at_ms, 1672531200000);
  EXPECT_EQ(btc.delivery_at_ms, -1);
  EXPECT_EQ(btc.price_max_decimals, -1);
  EXPECT_EQ(btc.price_max_sig_figs, -1);
  EXPECT_EQ(btc.alias_of, "");

  // Currency ids, not display symbols: BTC-USDC displays "USD" but is BTC/USDC.
  const Symbol& usdc = s.at("BTC-USDC");
  EXPECT_EQ(usdc.symbol, "BTC/USDC");
  EXPECT_EQ(usdc.quote, "USDC");
  EXPECT_EQ(usdc.alias_of, "BTC-USD");
  EXPECT_EQ(usdc.listed_at_ms, 1672531200000);  // fractional ".000Z"

  EXPECT_EQ(s.at("ETH-USDT").status, MDP_SYMBOL_HALTED);
  EXPECT_EQ(s.at("ETH-USDT").native_status, "online+trading_disabled");
  EXPECT_EQ(s.at("ETH-USDT").min_notional, "1");  // "1.00"
  EXPECT_EQ(s.at("SOL-EUR").status, MDP_SYMBOL_HALTED);
  EXPECT_EQ(s.at("SOL-EUR").native_status, "online+cancel_only");
  EXPECT_EQ(s.at("ADA-USD").status, MDP_SYMBOL_TRADING);  // limit_only still trades
  EXPECT_EQ(s.at("ADA-USD").native_status, "online+limit_only");
  EXPECT_EQ(s.at("NEW-USD").status, MDP_SYMBOL_HALTED);  // post_only: nothing matches
  EXPECT_EQ(s.at("NEW-USD").native_status, "online+post_only");
  EXPECT_EQ(s.at("AUC-USD").status, MDP_SYMBOL_PRE_TRADING);
  EXPECT_EQ(s.at("AUC-USD").native_status, "online+auction_mode");
  EXPECT_EQ(s.at("DIS-USD").status, MDP_SYMBOL_HALTED);
  EXPECT_EQ(s.at("DIS-USD").native_status, "online+is_disabled");
  EXPECT_EQ(s.at("VIEW-USD").status, MDP_SYMBOL_HALTED);
  EXPECT_EQ(s.at("VIEW-USD").native_status, "online+view_only");
  EXPECT_EQ(s.at("OLD-USD").status, MDP_SYMBOL_DELISTED);
  EXPECT_EQ(s.at("OLD-USD").native_status, "delisted+trading_disabled");
  EXPECT_EQ(s.at("OFF-USD").status, MDP_SYMBOL_DELISTED);
  EXPECT_EQ(s.at("OFF-USD").native_status, "offline");
  // Unknown status text: halted, the text kept.
  EXPECT_EQ(s.at("ODD-USD").status, MDP_SYMBOL_HALTED);
  EXPECT_EQ(s.at("ODD-USD").native_status, "maintenance");
  EXPECT_EQ(s.at("ODD-USD").tick_size, "0.001");  // no price_increment: quote_increment

  // Only id/status/type: base/quote from the id, every optional value absent.
  const Symbol& min = s.at("MIN-GBP");
  EXPECT_EQ(min.symbol, "MIN/GBP");
  EXPECT_EQ(min.status, MDP_SYMBOL_TRADING);
  EXPECT_EQ(min.tick_size, "");
  EXPECT_EQ(min.lot_step, "");
  EXPECT_EQ(min.min_qty, "");
  EXPECT_EQ(min.min_notional, "");
  EXPECT_EQ(min.listed_at_ms, -1);

  // Number tokens (one with an exponent) and nulls.
  const Symbol& num = s.at("NUM-USD");
  EXPECT_EQ(num.tick_size, "0.00001");  // price_increment "" -> quote_increment 1e-05
  EXPECT_EQ(num.lot_step, "0.001");
  EXPECT_EQ(num.min_qty, "0.1");
  EXPECT_EQ(num.min_notional, "10");
  EXPECT_EQ(num.listed_at_ms, -1);

  // BTCAUCTION-USD also maps to BTC/USD: the natural BTC-USD keeps it.
  EXPECT_EQ(s.at("BTCAUCTION-USD").symbol, "BTC/USD~BTCAUCTION-USD");
  EXPECT_EQ(s.at("BTCAUCTION-USD").base, "BTC");

  std::set<std::string> unique;
  for (const Symbol& sym : symbols) EXPECT_TRUE(unique.insert(sym.symbol).second) << sym.symbol;
}

// ------------------------------------------------------------------ futures

TEST(CoinbaseSymbols, FuturesAndPerpetuals) {
  const cb::ProductsPage page = cb::parse_products_page(fixture("products_future.json"));
  EXPECT_EQ(page.raw_count, 7u);
  EXPECT_EQ(page.num_products, 7);
  EXPECT_FALSE(page.has_next);
  ASSERT_EQ(page.skipped.size(), 2u);
  EXPECT_EQ(page.skipped[0].product_id, "XYZ-OPT-CDE");
  EXPECT_NE(page.skipped[0].reason.find("UNKNOWN_CONTRACT_EXPIRY_TYPE"), std::string::npos);
  EXPECT_EQ(page.skipped[1].product_id, "AAPL-USD");
  EXPECT_NE(page.skipped[1].reason.find("UNKNOWN_PRODUCT_TYPE"), std::string::npos);

  std::vector<std::string> notes;
  const auto symbols = cb::finalize_symbols(page.products, &notes);
  ASSERT_EQ(symbols.size(), 5u);
  const auto s = by_native(symbols);

  const Symbol& bit = s.at("BIT-24APR26-CDE");
  EXPECT_EQ(bit.symbol, "BTC/USD:USD-260424");
  EXPECT_EQ(bit.market_type, MDP_MARKET_FUTURE);
  EXPECT_EQ(bit.status, MDP_SYMBOL_TRADING);
  EXPECT_EQ(bit.native_status, "");  // futures carry an empty status and no flag was set
  EXPECT_EQ(bit.base, "BTC");
  EXPECT_EQ(bit.quote, "USD");
  EXPECT_EQ(bit.settle, "USD");
  EXPECT_EQ(bit.contract_size, "0.01");
  EXPECT_EQ(bit.tick_size, "5");
  EXPECT_EQ(bit.lot_step, "1");
  EXPECT_EQ(bit.min_qty, "1");
  EXPECT_EQ(bit.min_notional, "0");
  EXPECT_EQ(bit.delivery_at_ms, 1777042800000);  // 2026-04-24T15:00:00Z
  EXPECT_EQ(bit.listed_at_ms, -1);               // new_at null

  // Same root, quote and expiry date: the smaller product id keeps the canonical symbol.
  EXPECT_EQ(s.at("BTI-24APR26-CDE").symbol, "BTC/USD:USD-260424~BTI-24APR26-CDE");
  EXPECT_EQ(s.at("BTI-24APR26-CDE").contract_size, "1");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("BTI-24APR26-CDE"), std::string::npos);

  // "BTC PERP" in the UI, but contract_expiry_type EXPIRING with a 2030 expiry: a dated future.
  EXPECT_EQ(s.at("BIP-20DEC30-CDE").symbol, "BTC/USD:USD-301220");
  EXPECT_EQ(s.at("BIP-20DEC30-CDE").market_type, MDP_MARKET_FUTURE);
  EXPECT_EQ(s.at("BIP-20DEC30-CDE").delivery_at_ms, 1924012800000);

  const Symbol& eth = s.at("ETH-PERP-INTX");
  EXPECT_EQ(eth.symbol, "ETH/USDC:USDC");
  EXPECT_EQ(eth.market_type, MDP_MARKET_PERPETUAL);
  EXPECT_EQ(eth.settle, "USDC");
  EXPECT_EQ(eth.delivery_at_ms, -1);
  EXPECT_EQ(eth.contract_size, "1");
  EXPECT_EQ(eth.status, MDP_SYMBOL_TRADING);

  EXPECT_EQ(s.at("SOL-PERP-INTX").symbol, "SOL/USDC:USDC");
  EXPECT_EQ(s.at("SOL-PERP-INTX").status, MDP_SYMBOL_HALTED);
  EXPECT_EQ(s.at("SOL-PERP-INTX").native_status, "is_disabled");
}

TEST(CoinbaseSymbols, FinalizeDeduplicatesAndCrossFillsAliases) {
  // Same listing twice (the FUTURE and FUTURE/PERPETUAL queries overlap) + alias only on one side.
  const std::string body =
      R"({"products":[)"
      R"({"product_id":"ETH-USD","product_type":"SPOT","status":"online","base_currency_id":"ETH","quote_currency_id":"USD","alias_to":["ETH-USDC"]},)"
      R"({"product_id":"ETH-USDC","product_type":"SPOT","status":"online","base_currency_id":"ETH","quote_currency_id":"USDC","alias":""}]})";
  std::vector<cb::ParsedProduct> all = cb::parse_products_page(body).products;
  const std::vector<cb::ParsedProduct> again = cb::parse_products_page(body).products;
  all.insert(all.end(), again.begin(), again.end());
  const auto symbols = cb::finalize_symbols(all);
  ASSERT_EQ(symbols.size(), 2u);
  EXPECT_EQ(symbols[0].native_symbol, "ETH-USD");  // listing order kept
  EXPECT_EQ(symbols[0].alias_of, "");
  EXPECT_EQ(symbols[1].native_symbol, "ETH-USDC");
  EXPECT_EQ(symbols[1].alias_of, "ETH-USD");
}

TEST(CoinbaseSymbols, CollisionWithoutNaturalProductUsesSmallestId) {
  const std::string body =
      R"({"products":[)"
      R"({"product_id":"ZZZ-1","product_type":"SPOT","base_currency_id":"BTC","quote_currency_id":"USD"},)"
      R"({"product_id":"AAA-1","product_type":"SPOT","base_currency_id":"BTC","quote_currency_id":"USD"}]})";
  const auto s = by_native(cb::parse_symbols(body));
  EXPECT_EQ(s.at("AAA-1").symbol, "BTC/USD");
  EXPECT_EQ(s.at("ZZZ-1").symbol, "BTC/USD~ZZZ-1");
}

TEST(CoinbaseSymbols, SingleProductObject) {
  const cb::ParsedProduct p = cb::parse_product(
      R"({"product_id":"BTC-USD","base_increment":"0.00000001","quote_increment":"0.01","status":"online",)"
      R"("product_type":"SPOT","quote_currency_id":"USD","base_currency_id":"BTC","alias_to":["BTC-USDC"]})");
  EXPECT_EQ(p.symbol.symbol, "BTC/USD");
  EXPECT_TRUE(p.natural);
  ASSERT_EQ(p.alias_to.size(), 1u);
  EXPECT_EQ(p.alias_to[0], "BTC-USDC");
  expect_error([] { cb::parse_product(R"({"product_id":"X","product_type":"OPTION"})"); },
               MDP_E_UPSTREAM_PROTOCOL, "product_type 'OPTION' is not mapped");
}

TEST(CoinbaseSymbols, PaginationSignals) {
  const cb::ProductsPage p1 = cb::parse_products_page(fixture("products_page1.json"));
  EXPECT_TRUE(p1.has_next);
  EXPECT_EQ(p1.num_products, 3);
  EXPECT_EQ(p1.raw_count, 2u);
  const cb::ProductsPage empty = cb::parse_products_page(fixture("products_empty.json"));
  EXPECT_EQ(empty.raw_count, 0u);
  EXPECT_EQ(empty.num_products, 0);
}

TEST(CoinbaseSymbols, MalformedBodiesAreProtocolErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"products_missing_products.json", "missing field 'products'"},
      {"products_not_array.json", "'products' is not an array"},
      {"products_wrong_type.json", "products[0] (BTC-USD).trading_disabled: expected a boolean, got string"},
      {"products_bad_decimal.json", "products[0] (BTC-USD).base_increment: not a decimal"},
      {"products_missing_id.json", "products[0]: missing or empty field 'product_id'"},
      {"products_future_no_details.json", "without 'future_product_details'"},
      {"products_future_bad_expiry.json", "contract_expiry: not an ISO-8601 time: '24 April 2026'"},
      {"products_truncated.json", "invalid JSON"},
      {"candles_html.html", "HTML"},
      {"candles_btc_usd_1h.json", "missing field 'products'"},
  };
  for (const auto& [file, needle] : cases) {
    SCOPED_TRACE(file);
    const std::string body = fixture(file);
    expect_error([&] { cb::parse_products_page(body); }, MDP_E_UPSTREAM_PROTOCOL, needle);
  }
  for (const char* body : {"", "   ", "null", "[]", "{\"products\":[]} x", "{\"products\":[1]}",
                           "{\"products\":[],\"num_products\":\"many\"}", "{\"products\":[],\"pagination\":5}"}) {
    SCOPED_TRACE(body);
    expect_error([&] { cb::parse_products_page(body); }, MDP_E_UPSTREAM_PROTOCOL, "products response");
  }
}

// ------------------------------------------------------------------ candles

TEST(CoinbaseCandles, NewestFirstBecomesAscendingWithGaps) {
  const std::int64_t now = k0000 + 4 * kHour + 30 * 60'000;  // inside the 04:00 candle
  const std::vector<Candle> c = cb::parse_candles(fixture("candles_btc_usd_1h.json"), "1h", now);
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].open_time_ms, k0000);
  EXPECT_EQ(c[1].open_time_ms, k0000 + kHour);
  EXPECT_EQ(c[2].open_time_ms, k0000 + 3 * kHour);  // 02:00 had no trades: absent, not invented
  EXPECT_EQ(c[3].open_time_ms, k0000 + 4 * kHour);
  for (const Candle& x : c) {
    EXPECT_EQ(x.close_time_ms, x.open_time_ms + kHour - 1);
    EXPECT_EQ(x.quote_volume, "");
    EXPECT_EQ(x.trades, -1);
  }
  EXPECT_TRUE(c[0].closed);
  EXPECT_TRUE(c[2].closed);
  EXPECT_FALSE(c[3].closed);  // in progress by the host clock
  // Field mapping (named fields: low/high are not swapped) and canonical text.
  EXPECT_EQ(c[0].open, "65984.18");
  EXPECT_EQ(c[0].high, "66387.77");
  EXPECT_EQ(c[0].low, "65857.35");
  EXPECT_EQ(c[0].close, "66314.59");
  EXPECT_EQ(c[0].volume, "358.74851052");
  EXPECT_EQ(c[2].open, "66210");   // "66210.00"
  EXPECT_EQ(c[2].low, "66000");
  EXPECT_EQ(c[2].volume, "98.00000001");
  EXPECT_EQ(c[3].high, "66420");  // "66420.00"
}

TEST(CoinbaseCandles, ClosedFlagAtTheBoundary) {
  const std::string body = fixture("candles_btc_usd_1h.json");
  const std::int64_t last_close = k0000 + 5 * kHour - 1;
  EXPECT_FALSE(cb::parse_candles(body, "1h", last_close).back().closed);     // close_time == now
  EXPECT_TRUE(cb::parse_candles(body, "1h", last_close + 1).back().closed);  // close_time < now
}

TEST(CoinbaseCandles, NumberTokensKeepTheirExactText) {
  const auto c = cb::parse_candles(fixture("candles_numbers.json"), "1h", 1'800'000'000'000);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].open_time_ms, 1710327600000);
  EXPECT_EQ(c[0].low, "73241.5");
  EXPECT_EQ(c[0].high, "73402.47");
  EXPECT_EQ(c[0].open, "73243.33");
  EXPECT_EQ(c[0].close, "73370.65");
  EXPECT_EQ(c[0].volume, "0.0025");  // 2.5e-3
  EXPECT_EQ(c[1].high, "73500");     // 73500.00
  EXPECT_EQ(c[1].volume, "1.56794406");
}

TEST(CoinbaseCandles, MixedStringAndNumberRows) {
  // One number anywhere sends the whole body through the raw-token path; same result.
  const auto c = cb::parse_candles(
      R"({"candles":[{"start":"120","low":"1.10","high":"2","open":"1.5","close":"2","volume":"7"},)"
      R"({"start":60,"low":1.10,"high":2.0,"open":1.5,"close":2,"volume":7e0}]})",
      "1m", 0);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].open_time_ms, 60'000);
  EXPECT_EQ(c[0].low, "1.1");
  EXPECT_EQ(c[0].high, "2");
  EXPECT_EQ(c[0].volume, "7");
  EXPECT_EQ(c[1].low, "1.1");
  expect_error([] { cb::parse_candles(R"({"candles":[{"start":60,"low":1,"high":2,"open":1,"close":2}]})", "1m", 0); },
               MDP_E_UPSTREAM_PROTOCOL, "candles[0]: missing field 'volume'");
  expect_error([] { cb::parse_candles(R"({"candles":[{"start":60,"low":1,"high":2,"open":null,"close":2,"volume":1}]})", "1m", 0); },
               MDP_E_UPSTREAM_PROTOCOL, "candles[0].open: expected a string or number, got null");
}

TEST(CoinbaseCandles, EmptyAndUnorderedInput) {
  EXPECT_TRUE(cb::parse_candles(fixture("candles_empty.json"), "1m", 0).empty());
  const auto c = cb::parse_candles(
      R"({"candles":[{"start":"120","low":"1","high":"2","open":"1","close":"2","volume":"0"},)"
      R"({"start":"0","low":"1","high":"2","open":"1","close":"2","volume":"0"},)"
      R"({"volume":"0","close":"2","open":"1","high":"2","low":"1","start":"60","extra":{"x":[1,2]}}]})",
      "1m", 0);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].open_time_ms, 0);
  EXPECT_EQ(c[1].open_time_ms, 60'000);
  EXPECT_EQ(c[2].open_time_ms, 120'000);
  // Reusing the output vector.
  std::vector<Candle> out(5);
  cb::parse_candles(fixture("candles_empty.json"), 60'000, 0, out);
  EXPECT_TRUE(out.empty());
}

TEST(CoinbaseCandles, MalformedBodiesAreProtocolErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"candles_truncated.json", "invalid JSON"},
      {"candles_html.html", "HTML"},
      {"candles_wrong_type.json", "candles[0].open: expected a string or number, got boolean"},
      {"candles_missing_field.json", "candles[0]: missing field 'volume'"},
      {"candles_bad_decimal.json", "candles[0].open: not a decimal: '66,180.5'"},
      {"candles_bad_start.json", "candles[0].start: not a whole number of seconds"},
      {"candles_not_array.json", "field 'candles' is not an array"},
      {"candles_row_not_object.json", "candles[0]: expected an object, got array"},
      {"candles_duplicate.json", "two candles start at 1712203200"},
      {"candles_missing_candles.json", "missing field 'candles'"},
      {"candles_trailing.json", "invalid JSON"},
      {"error_not_found.json", "missing field 'candles'"},
      {"error_rate_limited.txt", "expected a JSON object"},
  };
  for (const auto& [file, needle] : cases) {
    SCOPED_TRACE(file);
    const std::string body = fixture(file);
    expect_error([&] { cb::parse_candles(body, "1h", 0); }, MDP_E_UPSTREAM_PROTOCOL, needle);
  }
  for (const char* body : {"", "{", "{\"candles\":[", "{\"candles\":[{}]}", "{\"candles\":null}",
                           "{\"candles\":[{\"start\":\"-60\",\"low\":\"1\",\"high\":\"1\",\"open\":\"1\",\"close\":\"1\",\"volume\":\"1\"}]}",
                           "{\"candles\":[{\"start\":\"1\",\"low\":\"1\",\"high\":\"1\",\"open\":\"1\",\"close\":\"1\",\"volume\":\"NaN\"}]}",
                           "{\"candles\":[{\"start\":\"1\",\"start\":\"2\",\"low\":\"1\",\"high\":\"1\",\"open\":\"1\",\"close\":\"1\",\"volume\":\"1\"}]}",
                           "{\"candles\":[]}{\"candles\":[]}"}) {
    SCOPED_TRACE(body);
    expect_error([&] { cb::parse_candles(body, "1h", 0); }, MDP_E_UPSTREAM_PROTOCOL, "candles response");
  }
}

TEST(CoinbaseCandles, UnsupportedIntervalIsRejected) {
  expect_error([] { cb::parse_candles(fixture("candles_empty.json"), "3m", 0); }, MDP_E_UNSUPPORTED,
               "supported: 1m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 1d");
}

// ------------------------------------------------------------------ error envelope, time

TEST(CoinbaseErrors, EnvelopeParsing) {
  const cb::ErrorBody nf = cb::parse_error_body(fixture("error_not_found.json"));
  EXPECT_TRUE(nf.is_json_object);
  EXPECT_EQ(nf.error, "NOT_FOUND");
  EXPECT_EQ(nf.message, "valid product_id is required");
  EXPECT_EQ(nf.details, "valid product_id is required");

  const cb::ErrorBody gran = cb::parse_error_body(fixture("error_bad_granularity.json"));
  EXPECT_EQ(gran.error, "unknown");
  EXPECT_EQ(gran.details, "parsing field \"granularity\": \"THREE_HOUR\" is not a valid value");

  const cb::ErrorBody denied = cb::parse_error_body(fixture("error_permission_denied.json"));
  EXPECT_EQ(denied.error, "PERMISSION_DENIED");
  EXPECT_NE(denied.details.find("type_url"), std::string::npos);

  for (const char* body : {"", "Too Many Requests", "<html></html>", "[1]", "{\"error\":", "{\"error\":5}"}) {
    const cb::ErrorBody e = cb::parse_error_body(body);
    if (std::string(body) == "{\"error\":5}") {
      EXPECT_TRUE(e.is_json_object);
      EXPECT_EQ(e.error, "5");
    } else {
      EXPECT_FALSE(e.is_json_object) << body;
    }
  }
}

TEST(CoinbaseTime, Iso8601AndYymmdd) {
  std::int64_t ms = 0;
  ASSERT_TRUE(cb::parse_iso8601_ms("2026-04-24T15:00:00Z", ms));
  EXPECT_EQ(ms, 1777042800000);
  ASSERT_TRUE(cb::parse_iso8601_ms("2026-04-24T16:00:00+01:00", ms));
  EXPECT_EQ(ms, 1777042800000);
  ASSERT_TRUE(cb::parse_iso8601_ms("2024-04-09T09:00:00.000008Z", ms));
  EXPECT_EQ(ms, 1712653200000);
  ASSERT_TRUE(cb::parse_iso8601_ms("2024-02-29T23:59:59.999Z", ms));
  EXPECT_EQ(ms, 1709251199999);
  ASSERT_TRUE(cb::parse_iso8601_ms("1970-01-01T00:00:00Z", ms));
  EXPECT_EQ(ms, 0);
  for (const char* bad : {"", "2026-04-24", "2026-04-24T15:00:00", "2026-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                          "2026-04-24T15:00:00.Z", "2026-04-24T15:00:00Zx", "24 April 2026", "2026-04-24T25:00:00Z"}) {
    EXPECT_FALSE(cb::parse_iso8601_ms(bad, ms)) << bad;
  }
  EXPECT_EQ(cb::yymmdd_utc(1777042800000), "260424");
  EXPECT_EQ(cb::yymmdd_utc(1924012800000), "301220");
  EXPECT_EQ(cb::yymmdd_utc(0), "700101");
  EXPECT_EQ(cb::yymmdd_utc(1709251199999), "240229");
}
