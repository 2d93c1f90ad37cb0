// The host's sinks: every rule a plugin's rows must satisfy, checked without a .so.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <vector>

#include "OutputValidation.hpp"

using mdp::plugins::CandleCollector;
using mdp::plugins::OutputLimits;
using mdp::plugins::SymbolCollector;
namespace domain = mdp::domain;

namespace {

mdp_symbol spot(const char* symbol = "BTC/USDT", const char* native = "BTCUSDT") {
  mdp_symbol s{};
  s.struct_size = sizeof s;
  s.symbol = symbol;
  s.native_symbol = native;
  s.market_type = MDP_MARKET_SPOT;
  s.status = MDP_SYMBOL_TRADING;
  s.base = "BTC";
  s.quote = "USDT";
  s.settle = "";
  s.tick_size = "0.01";
  s.lot_step = "0.00001";
  s.min_qty = "0.00001";
  s.min_notional = "5";
  s.contract_size = "";
  s.listed_at_ms = -1;
  s.delivery_at_ms = -1;
  s.price_max_decimals = -1;
  s.price_max_sig_figs = -1;
  s.alias_of = "";
  s.native_status = "";
  return s;
}

mdp_symbol perpetual() {
  mdp_symbol s = spot("BTC/USDT:USDT", "BTCUSDT_PERP");
  s.market_type = MDP_MARKET_PERPETUAL;
  s.settle = "USDT";
  s.contract_size = "1";
  return s;
}

mdp_symbol future() {
  mdp_symbol s = spot("BTC/USDT:USDT-240628", "BTCUSDT_240628");
  s.market_type = MDP_MARKET_FUTURE;
  s.settle = "USDT";
  s.contract_size = "1";
  s.delivery_at_ms = 1719561600000;
  return s;
}

constexpr std::int64_t kStart = 1'700'000'040'000;  // a minute boundary
constexpr std::int64_t kMinute = 60'000;

mdp_candle candle(std::int64_t open_time, const char* open = "100", const char* high = "101",
                  const char* low = "99.5", const char* close = "100.25") {
  mdp_candle c{};
  c.struct_size = sizeof c;
  c.open_time_ms = open_time;
  c.close_time_ms = open_time + kMinute - 1;
  c.open = open;
  c.high = high;
  c.low = low;
  c.close = close;
  c.volume = "12.5";
  c.quote_volume = "";
  c.trades = -1;
  c.closed = 1;
  return c;
}

domain::CandlePageRequest request(std::uint32_t max_rows = 10) {
  domain::CandlePageRequest r;
  r.native_symbol = "BTCUSDT";
  r.interval = "1m";
  r.start_ms = kStart;
  r.end_ms = kStart + 10 * kMinute;
  r.max_rows = max_rows;
  return r;
}

// Emits one symbol row and returns the violation ("" when accepted).
std::string symbol_violation(const mdp_symbol& row) {
  SymbolCollector collector("test", OutputLimits{});
  const mdp_status status = collector.emit(&row, 1, sizeof row);
  EXPECT_EQ(status == MDP_OK, !collector.failed());
  return collector.violation();
}

std::string candle_violation(const mdp_candle& row) {
  CandleCollector collector(request(), OutputLimits{});
  collector.emit(&row, 1, sizeof row);
  return collector.violation();
}

#define EXPECT_HAS(haystack, needle) EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

}  // namespace

// ------------------------------------------------------------------ symbols

TEST(SymbolCollector, ConvertsValidRowsWithExplicitAbsence) {
  SymbolCollector collector("binance_futures", OutputLimits{});
  const std::array<mdp_symbol, 3> rows = {spot(), perpetual(), future()};
  ASSERT_EQ(collector.emit(rows.data(), rows.size(), sizeof(mdp_symbol)), MDP_OK) << collector.violation();
  auto symbols = collector.take();
  ASSERT_EQ(symbols.size(), 3u);
  EXPECT_EQ(symbols[0].exchange, "binance_futures");
  EXPECT_EQ(symbols[0].symbol, "BTC/USDT");
  EXPECT_EQ(symbols[0].market_type, domain::MarketType::Spot);
  EXPECT_FALSE(symbols[0].settle.has_value());
  EXPECT_FALSE(symbols[0].contract_size.has_value());
  EXPECT_FALSE(symbols[0].listed_at_ms.has_value());
  EXPECT_FALSE(symbols[0].alias_of.has_value());
  EXPECT_FALSE(symbols[0].native_status.has_value());
  EXPECT_EQ(symbols[0].tick_size, "0.01");
  EXPECT_EQ(symbols[1].settle, "USDT");
  EXPECT_EQ(symbols[1].contract_size, "1");
  EXPECT_EQ(symbols[2].market_type, domain::MarketType::Future);
  EXPECT_EQ(symbols[2].delivery_at_ms, 1719561600000);
}

TEST(SymbolCollector, RejectsBadBatches) {
  const mdp_symbol row = spot();
  {
    SymbolCollector c("t", OutputLimits{});
    EXPECT_EQ(c.emit(nullptr, 1, sizeof row), MDP_E_SINK_REJECTED);
    EXPECT_HAS(c.violation(), "rows is NULL with count 1");
  }
  {
    SymbolCollector c("t", OutputLimits{});
    EXPECT_EQ(c.emit(nullptr, 0, 0), MDP_OK);  // nothing to read
  }
  {
    SymbolCollector c("t", OutputLimits{});
    EXPECT_EQ(c.emit(&row, 1, 16), MDP_E_SINK_REJECTED);
    EXPECT_HAS(c.violation(), "row_stride 16 is smaller than the");
  }
  {
    SymbolCollector c("t", OutputLimits{});
    EXPECT_EQ(c.emit(&row, 1, 1 << 20), MDP_E_SINK_REJECTED);
    EXPECT_HAS(c.violation(), "exceeds the host's cap");
  }
}

TEST(SymbolCollector, ChecksEachRowsStructSize) {
  mdp_symbol row = spot();
  row.struct_size = 8;
  EXPECT_HAS(symbol_violation(row), "row 0: struct_size 8 is smaller than");
  row.struct_size = sizeof(mdp_symbol) + 64;
  EXPECT_HAS(symbol_violation(row), "exceeds row_stride");
}

TEST(SymbolCollector, AcceptsLargerRowsFromANewerLayout) {
  struct Bigger {
    mdp_symbol base;
    const char* appended_field;
  };
  std::array<Bigger, 2> rows{};
  rows[0].base = spot();
  rows[1].base = perpetual();
  for (auto& r : rows) {
    r.base.struct_size = sizeof(Bigger);
    r.appended_field = "ignored";
  }
  SymbolCollector c("t", OutputLimits{});
  EXPECT_EQ(c.emit(&rows[0].base, rows.size(), sizeof(Bigger)), MDP_OK) << c.violation();
  EXPECT_EQ(c.size(), 2u);
}

TEST(SymbolCollector, ChecksTextFields) {
  mdp_symbol row = spot();
  row.native_symbol = nullptr;
  EXPECT_HAS(symbol_violation(row), "row 0: field 'native_symbol' is NULL");
  row = spot();
  row.settle = nullptr;  // "" means absent; NULL is never allowed
  EXPECT_HAS(symbol_violation(row), "field 'settle' is NULL");
  row = spot();
  row.symbol = "";
  EXPECT_HAS(symbol_violation(row), "field 'symbol' is empty");
  row = spot("BTC/USDT", "BTC\xFFUSDT");
  EXPECT_HAS(symbol_violation(row), "field 'native_symbol' is not valid UTF-8");
  row = spot("BTC/USDT", "BTC\nUSDT");
  EXPECT_HAS(symbol_violation(row), "field 'native_symbol' contains control characters");
  const std::string long_text(300, 'A');
  row = spot("BTC/USDT", long_text.c_str());
  EXPECT_HAS(symbol_violation(row), "field 'native_symbol' is too long or not NUL-terminated (cap 256 bytes)");
  row = spot();
  row.native_status = "BREAK\x01";
  EXPECT_HAS(symbol_violation(row), "field 'native_status' contains control characters");
}

TEST(SymbolCollector, ChecksEnumCodes) {
  mdp_symbol row = spot();
  row.market_type = 7;
  EXPECT_HAS(symbol_violation(row), "field 'market_type' has unknown code 7");
  row = spot();
  row.status = 0;
  EXPECT_HAS(symbol_violation(row), "field 'status' has unknown code 0");
}

TEST(SymbolCollector, ChecksTheCanonicalNotation) {
  mdp_symbol row = spot("BTCUSDT");
  EXPECT_HAS(symbol_violation(row), "is not the canonical spot form BASE/QUOTE ('BTC/USDT')");
  row = spot();
  row.settle = "USDT";
  EXPECT_HAS(symbol_violation(row), "field 'settle' must be empty for a spot market");
  row = perpetual();
  row.symbol = "BTC/USDT";
  EXPECT_HAS(symbol_violation(row), "canonical perpetual form BASE/QUOTE:SETTLE ('BTC/USDT:USDT')");
  row = perpetual();
  row.settle = "";
  row.symbol = "BTC/USDT:";
  EXPECT_HAS(symbol_violation(row), "(settle is empty)");
  row = future();
  row.symbol = "BTC/USDT:USDT-2406";
  EXPECT_HAS(symbol_violation(row), "canonical dated-future form");
  row = spot("ETH/BTC/X");
  row.base = "ETH/BTC";
  EXPECT_HAS(symbol_violation(row), "field 'base' 'ETH/BTC' contains '/', ':', '~' or a space");
  row = spot("ETH~X/USDT");
  row.base = "ETH~X";  // '~' starts the collision suffix, so no asset may contain it
  EXPECT_HAS(symbol_violation(row), "field 'base' 'ETH~X' contains '/', ':', '~' or a space");
}

// Colliding markets: the strict form, then '~' and the row's own native_symbol, exactly.
TEST(SymbolCollector, AcceptsTheNativeSymbolSuffixOnEveryMarketType) {
  mdp_symbol row = spot("TINY/USDC~@5", "@5");
  row.base = "TINY";
  row.quote = "USDC";
  EXPECT_EQ(symbol_violation(row), "");
  row = spot("BTC/USD~BTCAUCTION-USD", "BTCAUCTION-USD");
  row.quote = "USD";
  EXPECT_EQ(symbol_violation(row), "");
  row = perpetual();
  row.symbol = "BTC/USDT:USDT~BTCUSDT_PERP";
  EXPECT_EQ(symbol_violation(row), "");
  row = future();
  row.symbol = "BTC/USDT:USDT-240628~BTCUSDT_240628";
  EXPECT_EQ(symbol_violation(row), "");

  // The plain form and the suffixed one are distinct symbols in one listing.
  SymbolCollector c("t", OutputLimits{});
  std::array<mdp_symbol, 2> rows = {spot("BTC/USDT", "BTCUSDT"), spot("BTC/USDT~BTCUSDT2", "BTCUSDT2")};
  ASSERT_EQ(c.emit(rows.data(), 2, sizeof(mdp_symbol)), MDP_OK) << c.violation();
  const auto symbols = c.take();
  ASSERT_EQ(symbols.size(), 2u);
  EXPECT_EQ(symbols[1].symbol, "BTC/USDT~BTCUSDT2");
  EXPECT_EQ(symbols[1].native_symbol, "BTCUSDT2");
}

TEST(SymbolCollector, RefusesASuffixThatIsNotTheRowsNativeSymbol) {
  mdp_symbol row = spot("BTC/USDT~@5", "BTCUSDT");
  EXPECT_HAS(symbol_violation(row), "has the suffix '~@5', not '~' + the row's native_symbol 'BTCUSDT'");
  row = spot("BTC/USDT~btcusdt", "BTCUSDT");  // exactly, case included
  EXPECT_HAS(symbol_violation(row), "not '~' + the row's native_symbol");
  row = spot("BTC/USDT~BTCUSDT~BTCUSDT", "BTCUSDT");  // one suffix only
  EXPECT_HAS(symbol_violation(row), "not '~' + the row's native_symbol");
  row = spot("BTC/USDT~", "BTCUSDT");
  EXPECT_HAS(symbol_violation(row), "has an empty '~' suffix");
  row = spot("BTC/USDT~BTCUSDT@1", "BTCUSDT");  // the old Hyperliquid-like invention
  EXPECT_HAS(symbol_violation(row), "not '~' + the row's native_symbol");
}

TEST(SymbolCollector, RefusesASuffixOnAMalformedBaseForm) {
  mdp_symbol row = spot("BTCUSDT~BTCUSDT", "BTCUSDT");
  EXPECT_HAS(symbol_violation(row), "is not the canonical spot form BASE/QUOTE ('BTC/USDT')");
  row = spot("~BTCUSDT", "BTCUSDT");
  EXPECT_HAS(symbol_violation(row), "is not the canonical spot form");
  row = perpetual();
  row.symbol = "BTC/USDT~BTCUSDT_PERP";  // the spot form on a perpetual
  EXPECT_HAS(symbol_violation(row), "canonical perpetual form BASE/QUOTE:SETTLE ('BTC/USDT:USDT')");
  row = future();
  row.symbol = "BTC/USDT:USDT-2406~BTCUSDT_240628";
  EXPECT_HAS(symbol_violation(row), "canonical dated-future form");
  row = future();
  row.symbol = "BTC/USDT:USDT~BTCUSDT_240628";  // no delivery date before the suffix
  EXPECT_HAS(symbol_violation(row), "canonical dated-future form");
}

TEST(SymbolCollector, ChecksDecimalsAndNumbers) {
  mdp_symbol row = spot();
  row.tick_size = "0.010";
  EXPECT_HAS(symbol_violation(row), "field 'tick_size' is not a canonical decimal: '0.010'");
  row = spot();
  row.lot_step = "1e-5";
  EXPECT_HAS(symbol_violation(row), "field 'lot_step' is not a canonical decimal");
  row = spot();
  row.tick_size = "0";
  EXPECT_HAS(symbol_violation(row), "field 'tick_size' must be positive");
  row = spot();
  row.min_notional = "-5";
  EXPECT_HAS(symbol_violation(row), "field 'min_notional' must be non-negative");
  row = spot();
  row.min_qty = "0";
  EXPECT_EQ(symbol_violation(row), "");
  row = spot();
  row.listed_at_ms = -7;
  EXPECT_HAS(symbol_violation(row), "field 'listed_at_ms' is -7");
  row = spot();
  row.price_max_decimals = 65;
  EXPECT_HAS(symbol_violation(row), "field 'price_max_decimals' is 65");
  row = spot();
  row.alias_of = "BTCUSDT";
  EXPECT_HAS(symbol_violation(row), "field 'alias_of' names the row's own native_symbol");
}

TEST(SymbolCollector, RefusesDuplicatesAcrossEmitsAndStopsAfterTheFirstViolation) {
  mdp_error err{};
  char buffer[256] = {0};
  err.struct_size = sizeof err;
  err.message = buffer;
  err.message_capacity = sizeof buffer;
  SymbolCollector c("t", OutputLimits{}, &err);
  const mdp_symbol first = spot();
  ASSERT_EQ(c.emit(&first, 1, sizeof first), MDP_OK);
  const mdp_symbol same_symbol = spot("BTC/USDT", "OTHER");
  EXPECT_EQ(c.emit(&same_symbol, 1, sizeof same_symbol), MDP_E_SINK_REJECTED);
  EXPECT_HAS(c.violation(), "row 1: duplicate symbol 'BTC/USDT'");
  // The reason is also in the call's error, and later emits are refused outright.
  EXPECT_HAS(std::string(buffer), "duplicate symbol");
  const mdp_symbol fine = perpetual();
  EXPECT_EQ(c.emit(&fine, 1, sizeof fine), MDP_E_SINK_REJECTED);

  SymbolCollector natives("t", OutputLimits{});
  std::array<mdp_symbol, 2> rows = {spot(), spot("ETH/USDT", "BTCUSDT")};
  rows[1].base = "ETH";
  EXPECT_EQ(natives.emit(rows.data(), 2, sizeof(mdp_symbol)), MDP_E_SINK_REJECTED);
  EXPECT_HAS(natives.violation(), "row 1: duplicate native_symbol 'BTCUSDT'");
}

TEST(SymbolCollector, CapsTheNumberOfRows) {
  OutputLimits limits;
  limits.max_symbols = 2;
  SymbolCollector c("t", limits);
  std::array<mdp_symbol, 3> rows = {spot(), perpetual(), future()};
  ASSERT_EQ(c.emit(rows.data(), 2, sizeof(mdp_symbol)), MDP_OK);
  EXPECT_EQ(c.emit(&rows[2], 1, sizeof(mdp_symbol)), MDP_E_SINK_REJECTED);
  EXPECT_HAS(c.violation(), "more than 2 symbols in one list_symbols call");
}

// ------------------------------------------------------------------ candles

TEST(CandleCollector, ConvertsValidRows) {
  CandleCollector c(request(), OutputLimits{});
  std::array<mdp_candle, 2> rows = {candle(kStart), candle(kStart + kMinute)};
  rows[1].quote_volume = "1250.75";
  rows[1].trades = 17;
  rows[1].closed = 0;
  ASSERT_EQ(c.emit(rows.data(), 2, sizeof(mdp_candle)), MDP_OK) << c.violation();
  mdp_candle_page page{sizeof(mdp_candle_page), -1, -1};
  ASSERT_TRUE(c.finish(page)) << c.violation();
  domain::CandlePage out = c.take();
  ASSERT_EQ(out.candles.size(), 2u);
  EXPECT_FALSE(out.candles[0].quote_volume.has_value());
  EXPECT_FALSE(out.candles[0].trades.has_value());
  EXPECT_TRUE(out.candles[0].closed);
  EXPECT_EQ(out.candles[1].quote_volume, "1250.75");
  EXPECT_EQ(out.candles[1].trades, 17);
  EXPECT_FALSE(out.candles[1].closed);
  EXPECT_EQ(out.candles[1].low, "99.5");
  EXPECT_FALSE(out.next_start_ms.has_value());
  EXPECT_FALSE(out.available_from_ms.has_value());
}

TEST(CandleCollector, ChecksTimes) {
  EXPECT_HAS(candle_violation(candle(kStart - kMinute)), "row 0: open_time_ms");
  EXPECT_HAS(candle_violation(candle(kStart - kMinute)), "is outside the requested [");
  EXPECT_HAS(candle_violation(candle(kStart + 10 * kMinute)), "is outside the requested");  // end is exclusive
  mdp_candle row = candle(kStart);
  row.close_time_ms = kStart;
  EXPECT_HAS(candle_violation(row), "close_time_ms 1700000040000 is not after open_time_ms");
}

TEST(CandleCollector, RequiresStrictlyAscendingRowsAcrossEmits) {
  CandleCollector c(request(), OutputLimits{});
  const mdp_candle a = candle(kStart + kMinute);
  ASSERT_EQ(c.emit(&a, 1, sizeof a), MDP_OK);
  const mdp_candle same = candle(kStart + kMinute);
  EXPECT_EQ(c.emit(&same, 1, sizeof same), MDP_E_SINK_REJECTED);
  EXPECT_HAS(c.violation(), "row 1: open_time_ms 1700000100000 is not after the previous row's 1700000100000");

  CandleCollector d(request(), OutputLimits{});
  std::array<mdp_candle, 2> rows = {candle(kStart + kMinute), candle(kStart)};
  EXPECT_EQ(d.emit(rows.data(), 2, sizeof(mdp_candle)), MDP_E_SINK_REJECTED);
  EXPECT_HAS(d.violation(), "rows must be strictly ascending");
}

TEST(CandleCollector, ChecksDecimals) {
  mdp_candle row = candle(kStart);
  row.open = "100.0";
  EXPECT_HAS(candle_violation(row), "row 0: field 'open' is not a canonical decimal: '100.0'");
  row = candle(kStart);
  row.volume = "";
  EXPECT_HAS(candle_violation(row), "field 'volume' is empty");
  row = candle(kStart);
  row.high = nullptr;
  EXPECT_HAS(candle_violation(row), "field 'high' is NULL");
  row = candle(kStart);
  row.quote_volume = "NaN";
  EXPECT_HAS(candle_violation(row), "field 'quote_volume' is not a canonical decimal: 'NaN'");
  row = candle(kStart);
  row.volume = "-1";
  EXPECT_HAS(candle_violation(row), "field 'volume' is negative");
  const std::string too_long = "1." + std::string(200, '1');
  row = candle(kStart);
  row.close = too_long.c_str();
  EXPECT_HAS(candle_violation(row), "field 'close' is too long");
}

TEST(CandleCollector, ComparesPricesExactly) {
  EXPECT_HAS(candle_violation(candle(kStart, "100", "99", "98", "98.5")), "open '100' is outside [low '98', high '99']");
  EXPECT_HAS(candle_violation(candle(kStart, "100", "101", "102", "100")), "low '102' is above high '101'");
  EXPECT_HAS(candle_violation(candle(kStart, "100", "101", "99", "98.99999999999999999999")), "close");
  // Values a double would round together are still ordered exactly.
  EXPECT_HAS(candle_violation(candle(kStart, "0.30000000000000001", "0.3", "0.1", "0.2")), "open");
  EXPECT_EQ(candle_violation(candle(kStart, "0.3", "0.30000000000000001", "0.1", "0.2")), "");
  EXPECT_EQ(candle_violation(candle(kStart, "-37.63", "-10", "-40.32", "-37.63")), "");
  EXPECT_EQ(candle_violation(candle(kStart, "5", "5", "5", "5")), "");
}

TEST(CandleCollector, ChecksCountsAndFlags) {
  mdp_candle row = candle(kStart);
  row.trades = -2;
  EXPECT_HAS(candle_violation(row), "field 'trades' is -2");
  row = candle(kStart);
  row.closed = 2;
  EXPECT_HAS(candle_violation(row), "field 'closed' is 2");

  CandleCollector c(request(2), OutputLimits{});
  std::array<mdp_candle, 3> rows = {candle(kStart), candle(kStart + kMinute), candle(kStart + 2 * kMinute)};
  EXPECT_EQ(c.emit(rows.data(), 3, sizeof(mdp_candle)), MDP_E_SINK_REJECTED);
  EXPECT_HAS(c.violation(), "emit: more than max_rows=2 candles in one page");
}

TEST(CandleCollector, ChecksStrideAndStructSize) {
  CandleCollector c(request(), OutputLimits{});
  const mdp_candle row = candle(kStart);
  EXPECT_EQ(c.emit(&row, 1, sizeof(mdp_candle) / 2), MDP_E_SINK_REJECTED);
  EXPECT_HAS(c.violation(), "emit: row_stride 44 is smaller than the 84 bytes of an ABI 1.0 mdp_candle");

  mdp_candle small = candle(kStart);
  small.struct_size = 40;
  EXPECT_HAS(candle_violation(small), "row 0: struct_size 40 is smaller than the 84 bytes of ABI 1.0");
}

TEST(CandleCollector, ReadsUnalignedRowsAtAnyStride) {
  // A stride that is not a multiple of 8: rows sit at odd addresses; the host memcpy's them.
  constexpr std::size_t stride = sizeof(mdp_candle) + 3;
  std::vector<unsigned char> bytes(stride * 2);
  const mdp_candle a = candle(kStart);
  const mdp_candle b = candle(kStart + kMinute);
  std::memcpy(bytes.data(), &a, sizeof a);
  std::memcpy(bytes.data() + stride, &b, sizeof b);
  CandleCollector c(request(), OutputLimits{});
  EXPECT_EQ(c.emit(reinterpret_cast<const mdp_candle*>(bytes.data()), 2, stride), MDP_OK) << c.violation();
  EXPECT_EQ(c.size(), 2u);
}

TEST(CandleCollector, ChecksThePage) {
  const auto finish = [](std::int64_t next, std::int64_t available, bool with_row = true) {
    CandleCollector c(request(), OutputLimits{});
    const mdp_candle row = candle(kStart + kMinute);
    if (with_row) c.emit(&row, 1, sizeof row);
    mdp_candle_page page{sizeof(mdp_candle_page), next, available};
    c.finish(page);
    return c.violation();
  };
  EXPECT_EQ(finish(-1, -1), "");
  EXPECT_EQ(finish(kStart + 2 * kMinute, kStart), "");
  EXPECT_HAS(finish(kStart + kMinute, -1), "page.next_start_ms 1700000100000 must be -1 or inside (last open_time");
  EXPECT_HAS(finish(kStart + 10 * kMinute, -1), "must be -1 or inside");  // == end
  EXPECT_HAS(finish(-2, -1), "page.next_start_ms -2");                    // never written
  EXPECT_HAS(finish(kStart, -1, false), "inside (start 1700000040000");    // no progress
  EXPECT_EQ(finish(kStart + kMinute, -1, false), "");
  EXPECT_HAS(finish(-1, -5), "page.available_from_ms -5");

  CandleCollector c(request(), OutputLimits{});
  const mdp_candle row = candle(kStart);
  c.emit(&row, 1, sizeof row);
  mdp_candle_page page{sizeof(mdp_candle_page), kStart + 5 * kMinute, kStart - kMinute};
  ASSERT_TRUE(c.finish(page));
  const domain::CandlePage out = c.take();
  EXPECT_EQ(out.next_start_ms, kStart + 5 * kMinute);
  EXPECT_EQ(out.available_from_ms, kStart - kMinute);
}
