// Unit tests of the Hyperliquid parse/normalise functions on hand-made fixtures written in
// the documented formats (tests/fixtures/hyperliquid).
#include "HyperliquidParsers.hpp"
#include "HyperliquidTestSupport.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace hl = mdp::hyperliquid;
using hyperliquid_test::fixture;

namespace {

const hl::IntervalSpec& spec(const char* code) {
  const hl::IntervalSpec* s = hl::find_interval(code);
  if (s == nullptr) throw std::runtime_error(std::string("no interval ") + code);
  return *s;
}

// Runs `fn`, expects an mdp::sdk::Error with `status` whose message contains `needle`.
template <class Fn>
void expect_error(Fn&& fn, mdp_status status, const std::string& needle) {
  try {
    fn();
    ADD_FAILURE() << "expected an error containing '" << needle << "'";
  } catch (const mdp::sdk::Error& e) {
    EXPECT_EQ(e.status(), status) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

const mdp::sdk::Symbol* find_native(const std::vector<mdp::sdk::Symbol>& symbols, const std::string& native) {
  for (const auto& s : symbols) {
    if (s.native_symbol == native) return &s;
  }
  return nullptr;
}

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kT0 = 1'699'999'200'000;  // 2023-11-14 22:00 UTC, first row of candles_BTC_1h.json

}  // namespace

// ------------------------------------------------------------------ intervals and time

TEST(HyperliquidIntervals, CatalogueWithoutSixHours) {
  std::vector<std::string> codes;
  for (const auto& s : hl::supported_intervals()) codes.emplace_back(s.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "8h", "12h", "1d",
                                             "3d", "1w", "1M"}));
  EXPECT_EQ(hl::find_interval("6h"), nullptr);
  EXPECT_EQ(hl::find_interval("1H"), nullptr);
  EXPECT_EQ(spec("1m").duration_ms, 60'000);
  EXPECT_EQ(spec("1M").duration_ms, 0);
  EXPECT_EQ(hl::supported_interval_list(), "1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 8h, 12h, 1d, 3d, 1w, 1M");
}

TEST(HyperliquidIntervals, BucketGrid) {
  // 1h: epoch-aligned floor.
  EXPECT_EQ(hl::bucket_open_ms(spec("1h"), 1'700'000'000'000), kT0);
  EXPECT_EQ(hl::next_open_ms(spec("1h"), kT0), kT0 + kHour);
  // 1w: Monday 00:00 UTC. 2024-01-03 (Wed) → 2024-01-01 (Mon) 1704067200000.
  EXPECT_EQ(hl::bucket_open_ms(spec("1w"), 1'704'240'000'000), 1'704'067'200'000);
  EXPECT_EQ(hl::bucket_open_ms(spec("1w"), 1'704'067'200'000), 1'704'067'200'000);
  EXPECT_EQ(hl::bucket_open_ms(spec("1w"), 1'704'067'199'999), 1'704'067'200'000 - 7 * 24 * kHour);
  // 1M: calendar months, leap February 2024, year rollover.
  EXPECT_EQ(hl::bucket_open_ms(spec("1M"), 1'708'000'000'000), 1'706'745'600'000);  // 2024-02-15 → 02-01
  EXPECT_EQ(hl::next_open_ms(spec("1M"), 1'706'745'600'000), 1'709'251'200'000);     // → 2024-03-01
  EXPECT_EQ(hl::next_open_ms(spec("1M"), 1'701'388'800'000), 1'704'067'200'000);     // 2023-12 → 2024-01
  EXPECT_EQ(hl::add_buckets(spec("1M"), 1'704'067'200'000, -12), 1'672'531'200'000); // → 2023-01-01
  EXPECT_EQ(hl::bucket_open_ms(spec("1M"), 0), 0);
  EXPECT_EQ(hl::bucket_open_ms(spec("1M"), -1), -2'678'400'000);  // 1969-12-01
  // Negative times floor downwards.
  EXPECT_EQ(hl::bucket_open_ms(spec("1m"), -1), -60'000);
}

TEST(HyperliquidIntervals, EarliestServedIsFiveThousandBucketsIncludingTheCurrentOne) {
  const std::int64_t now = 1'700'000'000'000;
  EXPECT_EQ(hl::earliest_served_open_ms(spec("1m"), now), hl::bucket_open_ms(spec("1m"), now) - 4999 * 60'000);
  EXPECT_EQ(hl::earliest_served_open_ms(spec("1h"), now), kT0 - 4999 * kHour);
  // 1M: 4999 calendar months back from 2023-11-01.
  EXPECT_EQ(hl::earliest_served_open_ms(spec("1M"), now), hl::add_buckets(spec("1M"), 1'698'796'800'000, -4999));
}

TEST(HyperliquidIntervals, LotStepFromSzDecimals) {
  EXPECT_EQ(hl::lot_step_from_sz_decimals(0), "1");
  EXPECT_EQ(hl::lot_step_from_sz_decimals(1), "0.1");
  EXPECT_EQ(hl::lot_step_from_sz_decimals(5), "0.00001");
  EXPECT_EQ(hl::lot_step_from_sz_decimals(8), "0.00000001");
}

// ------------------------------------------------------------------ candles

TEST(HyperliquidCandles, ParsesEveryFieldExactly) {
  const std::int64_t now = kT0 + 4 * kHour + 1000;  // inside the last bucket
  const auto rows = hl::parse_candle_snapshot(fixture("candles_BTC_1h.json"), "1h", now);
  ASSERT_EQ(rows.size(), 5u);
  const auto& r0 = rows[0];
  EXPECT_EQ(r0.open_time_ms, kT0);
  EXPECT_EQ(r0.close_time_ms, kT0 + kHour - 1);
  EXPECT_EQ(r0.open, "36500");
  EXPECT_EQ(r0.high, "36620.5");
  EXPECT_EQ(r0.low, "36480");
  EXPECT_EQ(r0.close, "36600");
  EXPECT_EQ(r0.volume, "12.345");
  EXPECT_EQ(r0.quote_volume, "");
  EXPECT_EQ(r0.trades, 100);
  EXPECT_TRUE(r0.closed);
  EXPECT_EQ(rows[1].volume, "8.1");
  EXPECT_EQ(rows[4].volume, "0.98639");
  EXPECT_EQ(rows[4].trades, 104);
  EXPECT_FALSE(rows[4].closed) << "the candle in progress at now_ms";
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i].open_time_ms, rows[i - 1].open_time_ms + kHour);
}

TEST(HyperliquidCandles, DecimalsMatchTheSdkNormaliser) {
  const char* texts[] = {"0",      "0.0",     "0.000",   "0.5",      "0.001604", "1",        "10",
                         "100",    "10.50",   "36500.0", "520665683.0", "0.98639", "1.000001", "007.5",
                         "00",     "-1.50",   "-0.0",    "1e-5",     "1.5E+3",   "12345678901234567890.123456789000"};
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    const std::string body = std::string(R"([{"t":0,"T":59999,"o":")") + text + R"(","h":")" + text +
                             R"(","l":")" + text + R"(","c":")" + text + R"(","v":")" + text + R"(","n":0}])";
    std::string expected;
    ASSERT_TRUE(mdp::to_canonical_decimal(text, expected));
    const auto rows = hl::parse_candle_snapshot(body, "1m", 0);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].open, expected);
    EXPECT_EQ(rows[0].volume, expected);
    EXPECT_TRUE(mdp::is_canonical_decimal(rows[0].close)) << rows[0].close;
  }
  for (const char* bad : {"", ".5", "1.", "0.", "+1", "1.2.3", "0x10", "NaN", "1 ", " 1", "1,5", "--1"}) {
    SCOPED_TRACE(bad);
    const std::string body = std::string(R"([{"t":0,"T":59999,"o":")") + bad +
                             R"(","h":"1","l":"1","c":"1","v":"1","n":0}])";
    expect_error([&] { hl::parse_candle_snapshot(body, "1m", 0); }, MDP_E_UPSTREAM_PROTOCOL, "field 'o'");
  }
}

TEST(HyperliquidCandles, ClosedIsJudgedWithNow) {
  const std::string body = fixture("candles_BTC_1h.json");
  // now == close_time of the last row: still open (closed means close_time < now).
  auto rows = hl::parse_candle_snapshot(body, "1h", kT0 + 5 * kHour - 1);
  EXPECT_FALSE(rows.back().closed);
  rows = hl::parse_candle_snapshot(body, "1h", kT0 + 5 * kHour);
  EXPECT_TRUE(rows.back().closed);
}

TEST(HyperliquidCandles, CalendarMonthCloseTimes) {
  const auto rows = hl::parse_candle_snapshot(fixture("candles_HYPE_1M.json"), "1M", 1'800'000'000'000);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].close_time_ms, 1'706'745'599'999);  // 2024-01-31 23:59:59.999
  EXPECT_EQ(rows[1].close_time_ms, 1'709'251'199'999);  // 2024-02-29 (leap year)
  EXPECT_EQ(rows[2].close_time_ms, 1'711'929'599'999);  // 2024-03-31
  EXPECT_EQ(rows[0].open, "10");
  EXPECT_EQ(rows[1].open, "10.01");
  EXPECT_EQ(rows[0].high, "12");
}

// Regression (fuzz_hyperliquid_candle_snapshot): a 1M row opening on the last ms of February
// got a close time equal to its open, which the host refuses; such a row is the exchange's error.
TEST(HyperliquidCandles, MonthRowsMustOpenOnTheFirstMillisecondOfAUtcMonth) {
  const std::string last_ms_of_february =
      R"([{"t":1709251199999,"T":1711929599999,"o":"1","c":"1","h":"1","l":"1","v":"1","n":1}])";
  expect_error([&] { hl::parse_candle_snapshot(last_ms_of_february, "1M", 0); }, MDP_E_UPSTREAM_PROTOCOL,
               "open time 1709251199999 is not the start of a UTC month");
  const std::string march = R"([{"t":1709251200000,"T":1711929599999,"o":"1","c":"1","h":"1","l":"1","v":"1","n":1}])";
  const auto rows = hl::parse_candle_snapshot(march, "1M", 0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].close_time_ms, 1'711'929'599'999);
}

TEST(HyperliquidCandles, KeyOrderAndWhitespaceDoNotMatter) {
  const auto rows = hl::parse_candle_snapshot(fixture("candles_kPEPE_1w.json"), "1w", 1'800'000'000'000);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].open, "0.00155");
  EXPECT_EQ(rows[0].volume, "520665683");
  EXPECT_EQ(rows[0].close_time_ms, 1'704'067'200'000 + 7 * 24 * kHour - 1);
}

TEST(HyperliquidCandles, EmptyArrayIsNoCandles) {
  std::vector<mdp::sdk::Candle> rows(3);
  hl::parse_candle_snapshot(fixture("candles_empty.json"), spec("1h"), 0, rows);
  EXPECT_TRUE(rows.empty());
}

TEST(HyperliquidCandles, NullIsUnknownCoin) {
  expect_error([] { hl::parse_candle_snapshot(fixture("candles_null.json"), "1h", 0); }, MDP_E_NOT_FOUND,
               "unknown coin");
}

TEST(HyperliquidCandles, UnknownIntervalIsUnsupported) {
  expect_error([] { hl::parse_candle_snapshot("[]", "6h", 0); }, MDP_E_UNSUPPORTED, "supported: 1m");
}

TEST(HyperliquidCandles, MalformedBodiesAreProtocolErrorsNamingTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"candles_truncated.json", "not valid JSON"},
      {"candles_html_error.html", "not valid JSON"},
      {"error_422_deserialize.txt", "not valid JSON"},
      {"candles_root_object.json", "expected a JSON array of candles, got object"},
      {"candles_price_number.json", "row 0: field 'o' must be a decimal string, got number"},
      {"candles_missing_close.json", "row 0: missing field 'c'"},
      {"candles_time_string.json", "row 0: field 't' must be an integer, got string"},
      {"candles_bad_decimal.json", "row 0: field 'h' is not a decimal: '1.2.3'"},
      {"candles_negative_trades.json", "row 0: field 'n' is negative"},
      {"candles_close_before_open.json", "row 0: T 1681923599999 is before t"},
      {"candles_not_ascending.json", "row 1: open time 1681923600000 does not follow"},
      {"candles_duplicate_open_time.json", "row 1: open time"},
      {"candles_row_array.json", "row 0: expected an object, got array"},
      {"candles_duplicate_key.json", "row 0: duplicate key 't'"},
  };
  for (const auto& [file, needle] : cases) {
    SCOPED_TRACE(file);
    // Init-captured: C++17 lambdas cannot capture a structured binding (clang refuses).
    expect_error([name = file] { hl::parse_candle_snapshot(fixture(name), "15m", 0); }, MDP_E_UPSTREAM_PROTOCOL,
                 needle);
  }
  expect_error([] { hl::parse_candle_snapshot("", "1h", 0); }, MDP_E_UPSTREAM_PROTOCOL, "empty body");
  expect_error([] { hl::parse_candle_snapshot("[1]", "1h", 0); }, MDP_E_UPSTREAM_PROTOCOL,
               "row 0: expected an object, got integer");
  expect_error([] { hl::parse_candle_snapshot(R"([{"t":1,"T":2,"o":"1","h":"1","l":"1","c":"1","v":"","n":1}])", "1h", 0); },
               MDP_E_UPSTREAM_PROTOCOL, "field 'v' is not a decimal");
  expect_error([] { hl::parse_candle_snapshot(R"([{"t":1,"T":2,"o":"1","h":"1","l":"1","c":"1","v":"1","n":1.5}])", "1h", 0); },
               MDP_E_UPSTREAM_PROTOCOL, "field 'n' must be an integer, got number");
}

TEST(HyperliquidCandles, AFailedBodyLeavesNoPartialRows) {
  std::vector<mdp::sdk::Candle> rows;
  EXPECT_THROW(hl::parse_candle_snapshot(fixture("candles_not_ascending.json"), spec("15m"), 0, rows),
               mdp::sdk::Error);
  // The caller (the plugin) emits nothing when the parse throws; the contents are unspecified,
  // but a later good parse into the same vector starts clean.
  hl::parse_candle_snapshot(fixture("candles_BTC_1h.json"), spec("1h"), 0, rows);
  EXPECT_EQ(rows.size(), 5u);
}

TEST(HyperliquidCandles, ConcurrentParsesUseSeparateParsers) {
  const std::string a = fixture("candles_BTC_1h.json");
  const std::string b = fixture("candles_HYPE_1M.json");
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; ++k) {
        const auto rows = hl::parse_candle_snapshot(i % 2 == 0 ? a : b, i % 2 == 0 ? "1h" : "1M", 0);
        if (rows.size() != (i % 2 == 0 ? 5u : 3u)) return;
      }
      ok[static_cast<std::size_t>(i)] = 1;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(ok.begin(), ok.end(), 1), 8);
}

// ------------------------------------------------------------------ perpetuals

TEST(HyperliquidPerps, EveryCaseOfTheMetaUniverse) {
  std::vector<mdp::sdk::Symbol> out;
  std::vector<std::string> warnings;
  hl::parse_perp_meta(fixture("meta_all_cases.json"), nullptr, out, warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(out.size(), 9u);

  const auto* btc = find_native(out, "BTC");
  ASSERT_NE(btc, nullptr);
  EXPECT_EQ(btc->symbol, "BTC/USDC:USDC");
  EXPECT_EQ(btc->market_type, MDP_MARKET_PERPETUAL);
  EXPECT_EQ(btc->status, MDP_SYMBOL_TRADING);
  EXPECT_EQ(btc->native_status, "listed");
  EXPECT_EQ(btc->base, "BTC");
  EXPECT_EQ(btc->quote, "USDC");
  EXPECT_EQ(btc->settle, "USDC");
  EXPECT_EQ(btc->tick_size, "");
  EXPECT_EQ(btc->lot_step, "0.00001");
  EXPECT_EQ(btc->min_qty, "");
  EXPECT_EQ(btc->min_notional, "");
  EXPECT_EQ(btc->contract_size, "1");
  EXPECT_EQ(btc->price_max_decimals, 1);
  EXPECT_EQ(btc->price_max_sig_figs, 5);
  EXPECT_EQ(btc->listed_at_ms, -1);
  EXPECT_EQ(btc->delivery_at_ms, -1);
  EXPECT_EQ(btc->alias_of, "");

  const auto* kpepe = find_native(out, "kPEPE");
  ASSERT_NE(kpepe, nullptr);
  EXPECT_EQ(kpepe->symbol, "kPEPE/USDC:USDC");
  EXPECT_EQ(kpepe->base, "kPEPE");
  EXPECT_EQ(kpepe->contract_size, "1");
  EXPECT_EQ(kpepe->lot_step, "1");
  EXPECT_EQ(kpepe->price_max_decimals, 6);

  const auto* hpos = find_native(out, "HPOS");
  ASSERT_NE(hpos, nullptr);
  EXPECT_EQ(hpos->status, MDP_SYMBOL_TRADING);
  EXPECT_EQ(hpos->native_status, "listed;onlyIsolated");

  const auto* matic = find_native(out, "MATIC");
  ASSERT_NE(matic, nullptr);
  EXPECT_EQ(matic->status, MDP_SYMBOL_DELISTED);
  EXPECT_EQ(matic->native_status, "delisted");
  EXPECT_EQ(find_native(out, "LOOM")->native_status, "delisted;onlyIsolated");
  EXPECT_EQ(find_native(out, "LOOM")->status, MDP_SYMBOL_DELISTED);

  // isDelisted null / false are listed.
  EXPECT_EQ(find_native(out, "ATOM")->status, MDP_SYMBOL_TRADING);
  EXPECT_EQ(find_native(out, "SOL")->status, MDP_SYMBOL_TRADING);
  EXPECT_EQ(find_native(out, "SOL")->lot_step, "0.001");
  // szDecimals above 6 leaves integer prices only.
  EXPECT_EQ(find_native(out, "TINY")->price_max_decimals, 0);
  EXPECT_EQ(find_native(out, "TINY")->lot_step, "0.0000001");
  // Universe order is kept (it is the asset id order).
  EXPECT_EQ(out[0].native_symbol, "BTC");
  EXPECT_EQ(out[8].native_symbol, "TINY");
}

TEST(HyperliquidPerps, UnusableOrRepeatedNamesAreSkippedWithAWarning) {
  std::vector<mdp::sdk::Symbol> out;
  std::vector<std::string> warnings;
  hl::parse_perp_meta(fixture("meta_skips.json"), nullptr, out, warnings);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].symbol, "BTC/USDC:USDC");
  EXPECT_EQ(out[0].status, MDP_SYMBOL_TRADING) << "the first BTC entry is kept";
  EXPECT_EQ(out[1].symbol, "DOGE/USDC:USDC");
  ASSERT_EQ(warnings.size(), 4u);
  EXPECT_NE(warnings[0].find("xyz:XYZ100"), std::string::npos);
  EXPECT_NE(warnings[1].find("repeats"), std::string::npos);
  EXPECT_NE(warnings[2].find("'A/B'"), std::string::npos);
  EXPECT_NE(warnings[3].find("asset 4"), std::string::npos);
}

TEST(HyperliquidPerps, NonUsdcCollateralIsNamedFromTheSpotTokens) {
  std::vector<mdp::sdk::Symbol> spot;
  std::vector<std::string> warnings;
  hl::TokenTable tokens;
  hl::parse_spot_meta(fixture("spotMeta_collateral_tokens.json"), spot, warnings, &tokens);
  std::vector<mdp::sdk::Symbol> out;
  hl::parse_perp_meta(fixture("meta_collateral_usdh.json"), &tokens, out, warnings);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].symbol, "US500/USDH:USDH");
  EXPECT_EQ(out[0].settle, "USDH");
  expect_error(
      [&] {
        std::vector<mdp::sdk::Symbol> o;
        hl::parse_perp_meta(fixture("meta_collateral_unknown.json"), &tokens, o, warnings);
      },
      MDP_E_UPSTREAM_PROTOCOL, "collateralToken 999");
  expect_error(
      [&] {
        std::vector<mdp::sdk::Symbol> o;
        hl::parse_perp_meta(fixture("meta_collateral_usdh.json"), nullptr, o, warnings);
      },
      MDP_E_UPSTREAM_PROTOCOL, "collateralToken 360");
}

TEST(HyperliquidPerps, MalformedMetaIsAProtocolErrorNamingTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {"meta_bad_szdecimals_string.json", "universe[0].szDecimals: must be an integer, got string"},
      {"meta_bad_szdecimals_float.json", "universe[0].szDecimals: must be an integer, got number"},
      {"meta_negative_szdecimals.json", "universe[0].szDecimals: out of range: -1"},
      {"meta_missing_name.json", "universe[0].name: missing"},
      {"meta_missing_universe.json", "missing field 'universe'"},
      {"meta_universe_not_array.json", "field 'universe' must be an array, got object"},
      {"meta_bad_isdelisted.json", "universe[0].isDelisted: must be a boolean, got string"},
      {"meta_root_array.json", "expected a JSON object, got array"},
      {"meta_truncated.json", "not valid JSON"},
      {"candles_html_error.html", "not valid JSON"},
  };
  for (const auto& [file, needle] : cases) {
    SCOPED_TRACE(file);
    expect_error(
        [name = file] {  // init-captured: C++17 lambdas cannot capture a structured binding
          std::vector<mdp::sdk::Symbol> out;
          std::vector<std::string> warnings;
          hl::parse_perp_meta(fixture(name), nullptr, out, warnings);
        },
        MDP_E_UPSTREAM_PROTOCOL, needle);
  }
}

// ------------------------------------------------------------------ spot

TEST(HyperliquidSpot, PairsResolveTokensByIndexField) {
  std::vector<mdp::sdk::Symbol> out;
  std::vector<std::string> warnings;
  hl::TokenTable tokens;
  hl::parse_spot_meta(fixture("spotMeta_all_cases.json"), out, warnings, &tokens);
  EXPECT_EQ(tokens.size(), 7u);
  EXPECT_EQ(tokens.at(150).name, "HYPE");

  const auto* purr = find_native(out, "PURR/USDC");
  ASSERT_NE(purr, nullptr);
  EXPECT_EQ(purr->symbol, "PURR/USDC");
  EXPECT_EQ(purr->market_type, MDP_MARKET_SPOT);
  EXPECT_EQ(purr->status, MDP_SYMBOL_TRADING);
  EXPECT_EQ(purr->native_status, "listed");
  EXPECT_EQ(purr->base, "PURR");
  EXPECT_EQ(purr->quote, "USDC");
  EXPECT_EQ(purr->settle, "");
  EXPECT_EQ(purr->contract_size, "");
  EXPECT_EQ(purr->tick_size, "");
  EXPECT_EQ(purr->lot_step, "1");
  EXPECT_EQ(purr->price_max_decimals, 8);
  EXPECT_EQ(purr->price_max_sig_figs, 5);

  const auto* hype = find_native(out, "@107");
  ASSERT_NE(hype, nullptr);
  EXPECT_EQ(hype->symbol, "HYPE/USDC");
  EXPECT_EQ(hype->lot_step, "0.01");
  EXPECT_EQ(hype->price_max_decimals, 6);

  EXPECT_EQ(find_native(out, "@142")->symbol, "UBTC/USDC");
  EXPECT_EQ(find_native(out, "@142")->lot_step, "0.00001");
  EXPECT_EQ(find_native(out, "@166")->symbol, "HYPE/USDT0");
  EXPECT_EQ(find_native(out, "TINY/USDC")->price_max_decimals, 0);
}

TEST(HyperliquidSpot, CollidingPairsGetDeterministicUniqueSymbols) {
  std::vector<mdp::sdk::Symbol> out;
  std::vector<std::string> warnings;
  hl::parse_spot_meta(fixture("spotMeta_all_cases.json"), out, warnings);
  // A readable pair name wins over a lower index; otherwise the lowest index wins. Every
  // other pair gets "~" + its own native symbol (the contract's collision suffix).
  EXPECT_EQ(find_native(out, "TINY/USDC")->symbol, "TINY/USDC");
  EXPECT_EQ(find_native(out, "@5")->symbol, "TINY/USDC~@5");
  EXPECT_EQ(find_native(out, "@107")->symbol, "HYPE/USDC");
  EXPECT_EQ(find_native(out, "@230")->symbol, "HYPE/USDC~@230");
  EXPECT_EQ(find_native(out, "@250")->symbol, "PURR/USDC~@250");
  std::vector<std::string> symbols;
  for (const auto& s : out) symbols.push_back(s.symbol);
  std::sort(symbols.begin(), symbols.end());
  EXPECT_EQ(std::adjacent_find(symbols.begin(), symbols.end()), symbols.end());
}

TEST(HyperliquidSpot, BadCrossReferencesSkipOnlyThatPair) {
  std::vector<mdp::sdk::Symbol> out;
  std::vector<std::string> warnings;
  hl::parse_spot_meta(fixture("spotMeta_all_cases.json"), out, warnings);
  // 12 pairs: @200 (unknown base token), @260 (token name with '/'), the second @107 (repeated
  // name) and @271 (unknown quote token) are skipped; the other 8 are listed.
  EXPECT_EQ(out.size(), 8u);
  EXPECT_EQ(find_native(out, "@200"), nullptr);
  EXPECT_EQ(find_native(out, "@260"), nullptr);
  EXPECT_EQ(find_native(out, "@271"), nullptr);
  const auto joined = [&] {
    std::string all;
    for (const auto& w : warnings) all += w + "\n";
    return all;
  }();
  EXPECT_NE(joined.find("'@200' (index 200): token index 999 is not in tokens[]"), std::string::npos) << joined;
  EXPECT_NE(joined.find("'@271' (index 271): token index 777 is not in tokens[]"), std::string::npos) << joined;
  EXPECT_NE(joined.find("'@260' (index 260): token name 'BAD/NAME'"), std::string::npos) << joined;
  EXPECT_NE(joined.find("'@107' (index 270): its name repeats"), std::string::npos) << joined;
  EXPECT_NE(joined.find("listed as HYPE/USDC~@230"), std::string::npos) << joined;
}

TEST(HyperliquidSpot, RepeatedTokenIndexSkipsThePairsUsingIt) {
  std::vector<mdp::sdk::Symbol> out;
  std::vector<std::string> warnings;
  hl::parse_spot_meta(fixture("spotMeta_duplicate_token_index.json"), out, warnings);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].symbol, "CCC/USDC");
  EXPECT_EQ(warnings.size(), 2u);
}

TEST(HyperliquidSpot, MalformedSpotMetaIsAProtocolErrorNamingTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {"spotMeta_tokens_not_array.json", "field 'tokens' must be an array, got object"},
      {"spotMeta_token_missing_index.json", "tokens[0].index: missing"},
      {"spotMeta_pair_one_token.json", "universe[0].tokens: must hold [baseTokenIndex, quoteTokenIndex], got 1"},
      {"spotMeta_pair_token_string.json", "universe[0].tokens[0]: must be an integer, got string"},
      {"spotMeta_pair_missing_name.json", "universe[0].name: missing"},
      {"spotMeta_missing_universe.json", "missing field 'universe'"},
      {"meta_truncated.json", "not valid JSON"},
  };
  for (const auto& [file, needle] : cases) {
    SCOPED_TRACE(file);
    expect_error(
        [name = file] {  // init-captured: C++17 lambdas cannot capture a structured binding
          std::vector<mdp::sdk::Symbol> out;
          std::vector<std::string> warnings;
          hl::parse_spot_meta(fixture(name), out, warnings);
        },
        MDP_E_UPSTREAM_PROTOCOL, needle);
  }
}

// ------------------------------------------------------------------ the whole list

TEST(HyperliquidSymbolList, PerpsThenSpotAllUnique) {
  std::vector<std::string> warnings;
  const auto all = hl::build_symbol_list(fixture("meta_all_cases.json"), fixture("spotMeta_all_cases.json"), warnings);
  ASSERT_EQ(all.size(), 9u + 8u);
  EXPECT_EQ(all.front().market_type, MDP_MARKET_PERPETUAL);
  EXPECT_EQ(all.back().market_type, MDP_MARKET_SPOT);
  std::vector<std::string> canonical;
  std::vector<std::string> native;
  for (const auto& s : all) {
    canonical.push_back(s.symbol);
    native.push_back(s.native_symbol);
    EXPECT_TRUE(mdp::is_canonical_decimal(s.lot_step)) << s.symbol;
  }
  std::sort(canonical.begin(), canonical.end());
  std::sort(native.begin(), native.end());
  EXPECT_EQ(std::adjacent_find(canonical.begin(), canonical.end()), canonical.end());
  EXPECT_EQ(std::adjacent_find(native.begin(), native.end()), native.end());
}

TEST(HyperliquidSymbolList, DropDuplicatesKeepsTheFirst) {
  std::vector<mdp::sdk::Symbol> symbols(4);
  symbols[0].symbol = "A/USDC";
  symbols[0].native_symbol = "@1";
  symbols[1].symbol = "A/USDC";  // canonical repeats
  symbols[1].native_symbol = "@2";
  symbols[2].symbol = "B/USDC";  // native repeats
  symbols[2].native_symbol = "@1";
  symbols[3].symbol = "B/USDC";  // neither repeats a kept one
  symbols[3].native_symbol = "@3";
  std::vector<std::string> warnings;
  hl::drop_duplicate_symbols(symbols, warnings);
  ASSERT_EQ(symbols.size(), 2u);
  EXPECT_EQ(symbols[0].native_symbol, "@1");
  EXPECT_EQ(symbols[1].native_symbol, "@3");
  EXPECT_EQ(warnings.size(), 2u);
}
