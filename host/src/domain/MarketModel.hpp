// The canonical model the host stores and serves: symbols and candles with exact
// decimal text, UTC ms times, and explicit absence (std::optional), never 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::domain {

enum class MarketType { Spot = 1, Perpetual = 2, Future = 3 };
enum class SymbolStatus { Trading = 1, Halted = 2, PreTrading = 3, Settling = 4, Delisted = 5 };

std::string_view to_string(MarketType type);
std::string_view to_string(SymbolStatus status);
std::optional<MarketType> market_type_from_string(std::string_view text);
std::optional<SymbolStatus> symbol_status_from_string(std::string_view text);
// From the ABI's integer codes (MDP_MARKET_*, MDP_SYMBOL_*); nullopt for unknown codes.
std::optional<MarketType> market_type_from_code(std::int32_t code);
std::optional<SymbolStatus> symbol_status_from_code(std::int32_t code);

struct Symbol {
  std::string exchange;          // plugin id
  std::string symbol;            // canonical
  std::string native_symbol;
  MarketType market_type = MarketType::Spot;
  SymbolStatus status = SymbolStatus::Trading;
  std::string base, quote;
  std::optional<std::string> settle;
  std::optional<std::string> tick_size, lot_step, min_qty, min_notional, contract_size;
  std::optional<std::int64_t> listed_at_ms, delivery_at_ms;
  std::optional<std::int32_t> price_max_decimals, price_max_sig_figs;
  std::optional<std::string> alias_of;
  std::optional<std::string> native_status;
};

struct Candle {
  std::int64_t open_time_ms = 0;
  std::int64_t close_time_ms = 0;
  std::string open, high, low, close, volume;
  std::optional<std::string> quote_volume;
  std::optional<std::int64_t> trades;
  bool closed = true;
};

// One supported interval of one exchange.
struct ExchangeInterval {
  std::string interval;     // canonical code
  std::string native_code;
  std::uint32_t page_cap = 0;
};

}  // namespace mdp::domain
