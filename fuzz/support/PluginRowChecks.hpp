// What every plugin parser promises about the rows it returns, whatever the input: decimal
// fields are empty or canonical (the host rejects anything else), candles are in strictly
// ascending open time with close after open.
#pragma once

#include <mdp/decimal.hpp>
#include <mdp/plugin.hpp>

#include <string>
#include <vector>

#include "FuzzCheck.hpp"

namespace mdp::fuzz {

inline void check_decimal_field(const std::string& value, const char* what) {
  check(value.empty() || mdp::is_canonical_decimal(value), what);
}

inline void check_candles(const std::vector<mdp::sdk::Candle>& candles) {
  for (std::size_t i = 0; i < candles.size(); ++i) {
    const mdp::sdk::Candle& c = candles[i];
    check_decimal_field(c.open, "candle open is canonical");
    check_decimal_field(c.high, "candle high is canonical");
    check_decimal_field(c.low, "candle low is canonical");
    check_decimal_field(c.close, "candle close is canonical");
    check_decimal_field(c.volume, "candle volume is canonical");
    check_decimal_field(c.quote_volume, "candle quote_volume is canonical");
    check(c.close_time_ms > c.open_time_ms, "candle closes after it opens");
    if (i > 0) check(candles[i - 1].open_time_ms < c.open_time_ms, "candles strictly ascending by open time");
  }
}

inline void check_symbols(const std::vector<mdp::sdk::Symbol>& symbols) {
  for (const mdp::sdk::Symbol& s : symbols) {
    check(!s.native_symbol.empty(), "symbol has a native symbol");
    check_decimal_field(s.tick_size, "tick_size is canonical");
    check_decimal_field(s.lot_step, "lot_step is canonical");
    check_decimal_field(s.min_qty, "min_qty is canonical");
    check_decimal_field(s.min_notional, "min_notional is canonical");
    check_decimal_field(s.contract_size, "contract_size is canonical");
  }
}

}  // namespace mdp::fuzz
