// Unit tests of mdp_binance_parsers on hand-written fixtures (tests/fixtures/binance_futures):
// every contract kind and status, missing optional fields, and each malformed-body case.
#include "BinanceJson.hpp"
#include "BinanceParsers.hpp"
#include "BinanceTestSupport.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

using binance_test::compare_decimal;
using binance_test::fixture;
using mdp::sdk::Candle;
using mdp::sdk::Symbol;
namespace bn = mdp::binance;

namespace {

std::map<std::string, Symbol> by_native(const std::vector<Symbol>& symbols) {
  std::map<std::string, Symbol> out;
  for (const auto& s : symbols) out[s.native_symbol] = s;
  return out;
}

// Runs `fn`, expecting mdp::sdk::Error with `status` whose message contains `needle`.
template <class Fn>
void expect_error(Fn&& fn, mdp_status status, const std::string& needle, const std::string& label) {
  try {
    fn();
    ADD_FAILURE() << label << ": no error";
  } catch (const mdp::sdk::Error& e) {
    EXPECT_EQ(e.status(), status) << label << ": " << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << label << ": message '" << e.what() << "' lacks '" << needle << "'";
  }
}

}  // namespace

// ------------------------------------------------------------------ intervals

TEST(BinanceIntervals, AllFifteenCanonicalCodesNativeEqualsCanonical) {
  const std::vector<std::string> expected = {"1m", "3m", "5m",  "15m", "30m", "1h", "2h", "4h",
                                             "6h", "8h", "12h", "1d",  "3d",  "1w", "1M"};
  ASSERT_EQ(bn::intervals().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(bn::intervals()[i].code, expected[i]);
    EXPECT_EQ(bn::find_interval(expected[i]), &bn::intervals()[i]);
  }
  EXPECT_EQ(bn::find_interval("1s"), nullptr);
  EXPECT_EQ(bn::find_interval("1D"), nullptr);
  EXPECT_EQ(bn::find_interval(""), nullptr);
  EXPECT_EQ(bn::find_interval("1h")->duration_ms, 3'600'000);
  EXPECT_EQ(bn::find_interval("1w")->duration_ms, 604'800'000);
  EXPECT_EQ(bn::find_interval("1M")->duration_ms, bn::kCalendarMonth);
}

TEST(BinanceIntervals, NextOpenFollowsTheCalendarForMonths) {
  EXPECT_EQ(bn::next_open_ms(1704164640000, 60'000), 1704164700000);
  EXPECT_EQ(bn::next_open_ms(1704067200000, bn::kCalendarMonth), 1706745600000);  // Jan -> Feb 2024
  EXPECT_EQ(bn::next_open_ms(1706745600000, bn::kCalendarMonth), 1709251200000);  // Feb (29 d) -> Mar
  EXPECT_EQ(bn::next_open_ms(1701388800000, bn::kCalendarMonth), 1704067200000);  // Dec 2023 -> Jan 2024
  EXPECT_EQ(bn::next_open_ms(1705000000000, bn::kCalendarMonth), 1706745600000);  // mid-month -> next 1st
}

TEST(BinanceIntervals, AddBucketsBoundsAWindowToNBuckets) {
  EXPECT_EQ(bn::add_buckets_ms(1000, 60'000, 1500), 1000 + 90'000'000);
  // From a month start: n months later; from inside a month: n + 1 month starts later.
  EXPECT_EQ(bn::add_buckets_ms(1704067200000, bn::kCalendarMonth, 2), 1709251200000);
  EXPECT_EQ(bn::add_buckets_ms(1704067200001, bn::kCalendarMonth, 2), 1711929600000);
}

TEST(BinanceIntervals, YymmddIsUtc) {
  EXPECT_EQ(bn::utc_yymmdd(1735286400000), "241227");
  EXPECT_EQ(bn::utc_yymmdd(1743148800000), "250328");
  EXPECT_EQ(bn::utc_yymmdd(1632470400000), "210924");
  EXPECT_EQ(bn::utc_yymmdd(1704067199999), "231231");  // last ms of 2023
  EXPECT_EQ(bn::utc_yymmdd(0), "700101");
}

// ------------------------------------------------------------------ symbols

TEST(BinanceSymbols, StatusMapCoversEveryDocumentedValue) {
  EXPECT_EQ(bn::map_status("TRADING"), MDP_SYMBOL_TRADING);
  EXPECT_EQ(bn::map_status("PENDING_TRADING"), MDP_SYMBOL_PRE_TRADING);
  EXPECT_EQ(bn::map_status("PRE_DELIVERING"), MDP_SYMBOL_SETTLING);
  EXPECT_EQ(bn::map_status("DELIVERING"), MDP_SYMBOL_SETTLING);
  EXPECT_EQ(bn::map_status("PRE_SETTLE"), MDP_SYMBOL_SETTLING);
  EXPECT_EQ(bn::map_status("SETTLING"), MDP_SYMBOL_SETTLING);
  EXPECT_EQ(bn::map_status("DELIVERED"), MDP_SYMBOL_DELISTED);
  EXPECT_EQ(bn::map_status("CLOSE"), MDP_SYMBOL_DELISTED);
  EXPECT_EQ(bn::map_status("TRADING_HALT"), MDP_SYMBOL_HALTED);
  EXPECT_EQ(bn::map_status("BREAK"), MDP_SYMBOL_HALTED);
  EXPECT_EQ(bn::map_status(""), MDP_SYMBOL_HALTED);
  EXPECT_EQ(bn::map_status("trading"), MDP_SYMBOL_HALTED);  // case-sensitive, like Binance
}

TEST(BinanceSymbols, EveryContractKindAndStatus) {
  std::vector<std::string> dropped;
  const auto symbols = bn::parse_exchange_info(fixture("exchangeInfo_all_kinds.json"), &dropped);
  EXPECT_TRUE(dropped.empty());
  ASSERT_EQ(symbols.size(), 25u);
  EXPECT_EQ(symbols.front().native_symbol, "BTCUSDT");  // exchange order kept
  const auto m = by_native(symbols);

  struct Expect {
    const char* native;
    const char* canonical;
    std::int32_t market;
    std::int32_t status;
    std::int64_t delivery;
  };
  const Expect table[] = {
      {"BTCUSDT", "BTC/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
      {"XAUUSDT", "XAU/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
      {"BTCUSDT_250328", "BTC/USDT:USDT-250328", MDP_MARKET_FUTURE, MDP_SYMBOL_TRADING, 1743148800000},
      {"BTCUSDT_241227", "BTC/USDT:USDT-241227", MDP_MARKET_FUTURE, MDP_SYMBOL_SETTLING, 1735286400000},
      {"ETHUSDT_240628", "ETH/USDT:USDT-240628", MDP_MARKET_FUTURE, MDP_SYMBOL_SETTLING, 1719561600000},
      {"ETHUSDT_240329", "ETH/USDT:USDT-240329", MDP_MARKET_FUTURE, MDP_SYMBOL_DELISTED, 1711699200000},
      {"BTCUSDT_241129", "BTC/USDT:USDT-241129", MDP_MARKET_FUTURE, MDP_SYMBOL_SETTLING, 1732867200000},
      {"ETHUSDT_241129", "ETH/USDT:USDT-241129", MDP_MARKET_FUTURE, MDP_SYMBOL_TRADING, 1732867200000},
      // "" contractType with the far-future sentinel: perpetual (ccxt's rule too).
      {"BTCSTUSDT", "BTCST/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_PRE_TRADING, -1},
      // "" or an unknown kind with a real deliveryDate: dated.
      {"ODDUSDT_250131", "ODD/USDT:USDT-250131", MDP_MARKET_FUTURE, MDP_SYMBOL_TRADING, 1738310400000},
      {"NEWUSDT", "NEW/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
      {"NEWUSDT_250131", "NEW/USDT:USDT-250131", MDP_MARKET_FUTURE, MDP_SYMBOL_TRADING, 1738310400000},
      // A delisted perpetual keeps PERPETUAL with its delisting time as deliveryDate.
      {"WAVESUSDT", "WAVES/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_SETTLING, -1},
      {"DELUSDT", "DEL/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_SETTLING, -1},
      {"OLDUSDT", "OLD/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_DELISTED, -1},
      {"HALTUSDT", "HALT/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_HALTED, -1},
      {"BLANKUSDT", "BLANK/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_HALTED, -1},
      {"ETHBTC", "ETH/BTC:BTC", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
      {"BTCUSDC", "BTC/USDC:USDC", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
      {"币安人生USDT", "币安人生/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
      {"FETUSDT", "FET/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
      {"1000PEPEUSDT", "1000PEPE/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
      {"NOFILTERUSDT", "NOFILTER/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
      {"PARTUSDT", "PART/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
      {"NODATEUSDT", "NODATE/USDT:USDT", MDP_MARKET_PERPETUAL, MDP_SYMBOL_TRADING, -1},
  };
  std::set<std::string> canonical;
  for (const Expect& e : table) {
    SCOPED_TRACE(e.native);
    ASSERT_EQ(m.count(e.native), 1u);
    const Symbol& s = m.at(e.native);
    EXPECT_EQ(s.symbol, e.canonical);
    EXPECT_EQ(s.market_type, e.market);
    EXPECT_EQ(s.status, e.status);
    EXPECT_EQ(s.delivery_at_ms, e.delivery);
    EXPECT_EQ(s.contract_size, "1");
    EXPECT_EQ(s.price_max_decimals, -1);
    EXPECT_EQ(s.price_max_sig_figs, -1);
    EXPECT_EQ(s.alias_of, "");
    EXPECT_TRUE(canonical.insert(s.symbol).second);
  }
  EXPECT_EQ(m.at("HALTUSDT").native_status, "TRADING_HALT");
  EXPECT_EQ(m.at("BLANKUSDT").native_status, "");
  EXPECT_EQ(m.at("WAVESUSDT").native_status, "SETTLING");
  EXPECT_EQ(m.at("ETHBTC").base, "ETH");
  EXPECT_EQ(m.at("ETHBTC").quote, "BTC");
  EXPECT_EQ(m.at("ETHBTC").settle, "BTC");
  EXPECT_EQ(m.at("币安人生USDT").base, "币安人生");
}

TEST(BinanceSymbols, FiltersBecomeCanonicalTickLotMinimums) {
  const auto m = by_native(bn::parse_exchange_info(fixture("exchangeInfo_all_kinds.json")));
  const Symbol& btc = m.at("BTCUSDT");
  EXPECT_EQ(btc.tick_size, "0.1");  // "0.10"
  EXPECT_EQ(btc.lot_step, "0.001");
  EXPECT_EQ(btc.min_qty, "0.001");
  EXPECT_EQ(btc.min_notional, "100");
  EXPECT_EQ(btc.listed_at_ms, 1569398400000);
  EXPECT_EQ(m.at("币安人生USDT").tick_size, "0.0001");  // "0.00010"
  EXPECT_EQ(m.at("1000PEPEUSDT").tick_size, "0.0000001");
  EXPECT_EQ(m.at("ETHBTC").min_notional, "0.001");
  // Missing optional fields: absent, never "0".
  const Symbol& none = m.at("NOFILTERUSDT");
  EXPECT_EQ(none.tick_size, "");
  EXPECT_EQ(none.lot_step, "");
  EXPECT_EQ(none.min_qty, "");
  EXPECT_EQ(none.min_notional, "");
  EXPECT_EQ(none.listed_at_ms, -1);
  const Symbol& part = m.at("PARTUSDT");
  EXPECT_EQ(part.tick_size, "");  // PRICE_FILTER without tickSize
  EXPECT_EQ(part.lot_step, "");   // MARKET_LOT_SIZE is not LOT_SIZE
  EXPECT_EQ(part.min_notional, "");
}

TEST(BinanceSymbols, DuplicateCanonicalSymbolsKeepEveryMarketWithTheNativeSuffix) {
  std::vector<std::string> renamed;
  const auto symbols = bn::parse_exchange_info(fixture("exchangeInfo_duplicates.json"), &renamed);
  // No market is lost, the exchange's order is kept. TRADING beats SETTLING although it comes
  // second; the natural native id wins a tie. The other one gets "~" + its native symbol.
  ASSERT_EQ(symbols.size(), 4u);
  EXPECT_EQ(symbols[0].native_symbol, "BTCUSDT_OLD");
  EXPECT_EQ(symbols[0].symbol, "BTC/USDT:USDT~BTCUSDT_OLD");
  EXPECT_EQ(symbols[1].native_symbol, "BTCUSDT");
  EXPECT_EQ(symbols[1].symbol, "BTC/USDT:USDT");
  EXPECT_EQ(symbols[2].native_symbol, "ETHUSDT");
  EXPECT_EQ(symbols[2].symbol, "ETH/USDT:USDT");
  EXPECT_EQ(symbols[3].native_symbol, "ETHUSDT_X");
  EXPECT_EQ(symbols[3].symbol, "ETH/USDT:USDT~ETHUSDT_X");
  ASSERT_EQ(renamed.size(), 2u);
  EXPECT_NE(renamed[0].find("BTCUSDT_OLD (SETTLING) maps to BTC/USDT:USDT like BTCUSDT (TRADING)"),
            std::string::npos)
      << renamed[0];
  EXPECT_NE(renamed[0].find("listed as BTC/USDT:USDT~BTCUSDT_OLD"), std::string::npos) << renamed[0];
  EXPECT_NE(renamed[1].find("listed as ETH/USDT:USDT~ETHUSDT_X"), std::string::npos) << renamed[1];
}

TEST(BinanceSymbols, EmptySymbolListIsEmptyNotAnError) {
  EXPECT_TRUE(bn::parse_exchange_info(fixture("exchangeInfo_empty_symbols.json")).empty());
}

TEST(BinanceSymbols, MalformedBodiesFailWholeWithTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {"exchangeInfo_missing_status.json", "symbols[1] (BTCUSDT): required field 'status'"},
      {"exchangeInfo_missing_symbol.json", "symbols[1]: required field 'symbol'"},
      {"exchangeInfo_missing_margin.json", "'marginAsset'"},
      {"exchangeInfo_empty_base.json", "'baseAsset' is missing or empty"},
      {"exchangeInfo_status_number.json", "field 'status' is a number, expected a string"},
      {"exchangeInfo_delivery_string.json", "field 'deliveryDate' is a string, expected an integer"},
      {"exchangeInfo_dated_without_delivery.json", "CURRENT_QUARTER without 'deliveryDate'"},
      {"exchangeInfo_bad_tick.json", "PRICE_FILTER.tickSize is not a decimal: '0.1.0'"},
      {"exchangeInfo_tick_number.json", "PRICE_FILTER.tickSize is a number, expected a decimal string"},
      {"exchangeInfo_filter_not_object.json", "filters[0] is a string, expected an object"},
      {"exchangeInfo_filters_not_array.json", "field 'filters' is a object, expected an array"},
      {"exchangeInfo_symbol_not_object.json", "symbols[1] is a string, expected an object"},
      {"exchangeInfo_no_symbols.json", "required field 'symbols' is missing"},
      {"exchangeInfo_symbols_not_array.json", "field 'symbols' is a object, expected an array"},
      {"exchangeInfo_truncated.json", "exchangeInfo body is not valid JSON"},
      {"html_error_page.html", "exchangeInfo body is not valid JSON"},
      {"klines_BTCUSDT_1m.json", "exchangeInfo body is a array, expected an object"},
  };
  for (const auto& [file, needle] : cases) {
    const std::string body = fixture(file);
    expect_error([&] { (void)bn::parse_exchange_info(body); }, MDP_E_UPSTREAM_PROTOCOL, needle, file);
  }
  expect_error([] { (void)bn::parse_exchange_info(""); }, MDP_E_UPSTREAM_PROTOCOL, "not valid JSON", "empty");
}

// ------------------------------------------------------------------ candles

TEST(BinanceCandles, RowsBecomeCanonicalCandles) {
  const std::int64_t t0 = 1704164640000;
  // The host clock sits inside the last bucket: that candle is still in progress.
  const auto candles = bn::parse_klines(fixture("klines_BTCUSDT_1m.json"), 60'000, t0 + 200'000);
  ASSERT_EQ(candles.size(), 4u);
  const Candle& c = candles[0];
  EXPECT_EQ(c.open_time_ms, t0);
  EXPECT_EQ(c.close_time_ms, t0 + 59'999);
  EXPECT_EQ(c.open, "42100.1");
  EXPECT_EQ(c.high, "42150");
  EXPECT_EQ(c.low, "42090");
  EXPECT_EQ(c.close, "42120.5");
  EXPECT_EQ(c.volume, "120.25");
  EXPECT_EQ(c.quote_volume, "5063521.4");
  EXPECT_EQ(c.trades, 1512);
  EXPECT_TRUE(c.closed);
  // A zero-volume bucket is real data: "0" volume, 0 trades (Binance gives them).
  EXPECT_EQ(candles[1].volume, "0");
  EXPECT_EQ(candles[1].quote_volume, "0");
  EXPECT_EQ(candles[1].trades, 0);
  EXPECT_EQ(candles[2].quote_volume, "13061000.12345");
  EXPECT_TRUE(candles[2].closed);
  EXPECT_EQ(candles[3].close_time_ms, t0 + 239'999);
  EXPECT_FALSE(candles[3].closed);
  // closed means close_time < now: at now == close_time it is still open.
  EXPECT_FALSE(bn::parse_klines(fixture("klines_BTCUSDT_1m.json"), 60'000, t0 + 239'999)[3].closed);
  EXPECT_TRUE(bn::parse_klines(fixture("klines_BTCUSDT_1m.json"), 60'000, t0 + 240'000)[3].closed);
}

TEST(BinanceCandles, MonthCandlesCloseAtTheEndOfTheCalendarMonth) {
  const auto candles = bn::parse_klines(fixture("klines_BTCUSDT_1M.json"), bn::kCalendarMonth, 1711929600000);
  ASSERT_EQ(candles.size(), 3u);
  EXPECT_EQ(candles[0].close_time_ms, 1706745600000 - 1);  // January: 31 days
  EXPECT_EQ(candles[1].close_time_ms, 1709251200000 - 1);  // February 2024: 29 days
  EXPECT_EQ(candles[2].close_time_ms, 1711929600000 - 1);
  EXPECT_TRUE(candles[2].closed);
  EXPECT_EQ(candles[0].trades, 51234567);
  EXPECT_EQ(candles[2].quote_volume, "601234567890.9876");
}

TEST(BinanceCandles, EmptyArrayIsNoCandles) {
  EXPECT_TRUE(bn::parse_klines(fixture("klines_empty.json"), 60'000, 0).empty());
}

TEST(BinanceCandles, ReusedVectorIsOverwrittenNotAppended) {
  std::vector<Candle> rows;
  bn::parse_klines(fixture("klines_BTCUSDT_1m.json"), 60'000, 0, rows);
  ASSERT_EQ(rows.size(), 4u);
  bn::parse_klines(fixture("klines_BTCUSDT_1M.json"), bn::kCalendarMonth, 0, rows);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].open, "42283.5");
  bn::parse_klines(fixture("klines_empty.json"), 60'000, 0, rows);
  EXPECT_TRUE(rows.empty());
}

TEST(BinanceCandles, MalformedBodiesFailWholeWithThePosition) {
  const std::pair<const char*, const char*> cases[] = {
      {"klines_truncated.json", "klines body is not valid JSON"},
      {"html_error_page.html", "klines body is not valid JSON"},
      {"not_json.txt", "klines body is not valid JSON"},
      {"klines_object.json", "klines body is a object, expected an array of rows"},
      {"error_invalid_symbol.json", "(code -1121: Invalid symbol.)"},
      {"klines_price_number.json", "klines row 1 field 2 (high) is a number, expected a decimal string"},
      {"klines_bad_decimal.json", "klines row 2 field 4 (close) is not a decimal: '42.180.30'"},
      {"klines_open_time_string.json", "klines row 0 field 0 (open time) is a string, expected an integer"},
      {"klines_open_time_float.json", "klines row 3 field 0 (open time) is a number that is not an int64"},
      {"klines_negative_trades.json", "klines row 2 field 8 (trades) is negative"},
      {"klines_quote_volume_null.json", "klines row 1 field 7 (quote volume) is a null"},
      {"klines_short_row.json", "klines row 2 has 6 fields"},
      {"klines_row_not_array.json", "klines row 1 is a object"},
      {"klines_descending.json", "klines row 2: open time 1704164700000 is not after the previous row's"},
      {"klines_duplicate_open.json", "klines row 2: open time 1704164700000 is not after"},
  };
  for (const auto& [file, needle] : cases) {
    const std::string body = fixture(file);
    expect_error([&] { (void)bn::parse_klines(body, 60'000, 0); }, MDP_E_UPSTREAM_PROTOCOL, needle, file);
  }
}

// Regression (fuzz_binance_klines): a 1M row opening on the last ms of January got a close
// time equal to its open, which the host refuses; such a row is the exchange's error.
TEST(BinanceCandles, MonthRowsMustOpenOnTheFirstMillisecondOfAUtcMonth) {
  const std::string last_ms_of_january = R"([[1706745599999,"1","1","1","1","1",1709251199999,"1",1,"0","0","0"]])";
  expect_error([&] { (void)bn::parse_klines(last_ms_of_january, bn::kCalendarMonth, 0); }, MDP_E_UPSTREAM_PROTOCOL,
               "klines row 0: open time 1706745599999 is not the start of a UTC month", "last ms of January");
  const std::string mid_february = R"([[1708000000000,"1","1","1","1","1",1709251199999,"1",1,"0","0","0"]])";
  expect_error([&] { (void)bn::parse_klines(mid_february, bn::kCalendarMonth, 0); }, MDP_E_UPSTREAM_PROTOCOL,
               "is not the start of a UTC month", "mid February");
  const std::string february = R"([[1706745600000,"1","1","1","1","1",1709251199999,"1",1,"0","0","0"]])";
  const auto rows = bn::parse_klines(february, bn::kCalendarMonth, 0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].close_time_ms, 1'709'251'199'999);
}

TEST(BinanceCandles, RejectsAnIntervalThatIsNeitherADurationNorAMonth) {
  expect_error([] { (void)bn::parse_klines("[]", 0, 0); }, MDP_E_INVALID_ARGUMENT, "interval_ms", "0");
  expect_error([] { (void)bn::parse_klines("[]", -7, 0); }, MDP_E_INVALID_ARGUMENT, "interval_ms", "-7");
}

TEST(BinanceCandles, ThreadsParseIndependently) {
  const std::string minute = fixture("klines_BTCUSDT_1m.json");
  const std::string month = fixture("klines_BTCUSDT_1M.json");
  const std::string info = fixture("exchangeInfo_all_kinds.json");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if ((i + t) % 3 == 0) {
          if (bn::parse_exchange_info(info).size() != 25u) ++failures[t];
        } else if ((i + t) % 3 == 1) {
          const auto c = bn::parse_klines(minute, 60'000, 0);
          if (c.size() != 4u || c[2].close != "42180.3") ++failures[t];
        } else {
          const auto c = bn::parse_klines(month, bn::kCalendarMonth, 0);
          if (c.size() != 3u || c[1].high != "63000") ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

// ------------------------------------------------------------------ error bodies

TEST(BinanceErrors, ErrorBodyParsesCodeAndMessage) {
  bn::ApiError e;
  ASSERT_TRUE(bn::parse_error_body(R"({"code":-1121,"msg":"Invalid symbol."})", e));
  EXPECT_EQ(e.code, -1121);
  EXPECT_EQ(e.msg, "Invalid symbol.");
  ASSERT_TRUE(bn::parse_error_body(fixture("error_bad_param.json"), e));
  EXPECT_EQ(e.code, -1102);
  EXPECT_FALSE(bn::parse_error_body("", e));
  EXPECT_FALSE(bn::parse_error_body(fixture("html_error_page.html"), e));
  EXPECT_FALSE(bn::parse_error_body(R"({"code":"-1121","msg":"x"})", e));
  EXPECT_FALSE(bn::parse_error_body(R"({"code":-1121})", e));
  EXPECT_FALSE(bn::parse_error_body("[]", e));
}

// ------------------------------------------------------------------ test helpers

TEST(BinanceTestSupport, DecimalCompareIsExact) {
  EXPECT_EQ(compare_decimal("1", "1"), 0);
  EXPECT_LT(compare_decimal("0.1", "0.11"), 0);
  EXPECT_GT(compare_decimal("10", "9.999999999999999999"), 0);
  EXPECT_LT(compare_decimal("-2", "-1.5"), 0);
  EXPECT_LT(compare_decimal("-0.1", "0"), 0);
  EXPECT_EQ(compare_decimal("42150", "42150"), 0);
  EXPECT_LT(compare_decimal("0.30000000000000001", "0.3000000000000001"), 0);
  EXPECT_EQ(binance_test::strip_trailing_zeros("0.10"), "0.1");
  EXPECT_EQ(binance_test::strip_trailing_zeros("100"), "100");
  EXPECT_EQ(binance_test::strip_trailing_zeros("5.000"), "5");
}
