#include "CandleChecks.hpp"

#include <gtest/gtest.h>

#include <set>

#include "DecimalCompare.hpp"

namespace mdp::app::integration {

void expect_candle_invariants(const std::vector<domain::Candle>& candles, const std::string& what) {
  SCOPED_TRACE(what);
  std::size_t reported = 0;
  // One message per broken candle is plenty; stop after a few so a broken page stays readable.
  auto report = [&]() { return ++reported <= 5; };
  for (std::size_t i = 0; i < candles.size(); ++i) {
    const domain::Candle& c = candles[i];
    if (i > 0 && !(candles[i - 1].open_time_ms < c.open_time_ms) && report()) {
      ADD_FAILURE() << "candle " << i << " open " << c.open_time_ms << " does not follow " << candles[i - 1].open_time_ms;
    }
    if (!(c.open_time_ms < c.close_time_ms) && report()) {
      ADD_FAILURE() << "candle " << i << ": open_time " << c.open_time_ms << " >= close_time " << c.close_time_ms;
    }
    if (!c.closed && report()) ADD_FAILURE() << "candle " << i << " is not closed (all test data is history)";
    const bool ordered = plugins::compare_decimals(c.low, c.open) <= 0 && plugins::compare_decimals(c.low, c.close) <= 0 &&
                         plugins::compare_decimals(c.open, c.high) <= 0 &&
                         plugins::compare_decimals(c.close, c.high) <= 0;
    if (!ordered && report()) {
      ADD_FAILURE() << "candle " << i << ": low " << c.low << " open " << c.open << " close " << c.close << " high "
                    << c.high;
    }
    if (plugins::is_negative_decimal(c.volume) && report()) ADD_FAILURE() << "candle " << i << " volume " << c.volume;
  }
}

void expect_symbol_invariants(const std::vector<domain::Symbol>& symbols, const std::string& exchange) {
  SCOPED_TRACE(exchange);
  std::set<std::string> canonical;
  std::set<std::string> native;
  for (const domain::Symbol& s : symbols) {
    EXPECT_EQ(s.exchange, exchange);
    EXPECT_TRUE(canonical.insert(s.symbol).second) << "canonical symbol twice: " << s.symbol;
    EXPECT_TRUE(native.insert(s.native_symbol).second) << "native symbol twice: " << s.native_symbol;
    EXPECT_FALSE(s.base.empty()) << s.symbol;
    EXPECT_FALSE(s.quote.empty()) << s.symbol;
    // BASE/QUOTE, BASE/QUOTE:SETTLE, BASE/QUOTE:SETTLE-YYMMDD (plus a plugin's disambiguation suffix).
    EXPECT_EQ(s.symbol.rfind(s.base + "/" + s.quote, 0), 0u) << s.symbol;
    if (s.market_type != domain::MarketType::Spot) {
      ASSERT_TRUE(s.settle.has_value()) << s.symbol;
      EXPECT_NE(s.symbol.find(":" + *s.settle), std::string::npos) << s.symbol;
    }
  }
}

std::string without_trailing_zeros(std::string_view text) {
  std::string out(text);
  if (out.find('.') == std::string::npos) return out;
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  if (out == "-0") out = "0";
  return out;
}

}  // namespace mdp::app::integration
