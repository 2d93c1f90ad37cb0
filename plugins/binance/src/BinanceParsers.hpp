// Binance USD-M Futures: pure parse/normalise functions (bytes -> canonical rows).
//
// No network, no host: the plugin (BinancePlugin.cpp), the tests and the benchmarks call
// these directly. Every function that reads an exchange body throws mdp::sdk::Error with
// MDP_E_UPSTREAM_PROTOCOL (message naming the field and its position) when the body does
// not have the documented shape; a body either parses completely or not at all.
//
// Thread safety: every function may be called concurrently from several threads; each
// thread parses with its own thread_local simdjson parser.
#pragma once

#include <mdp/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::binance {

// ------------------------------------------------------------------ intervals

// Pass as interval_ms for the calendar-month interval (1M): close time = first ms of the
// next calendar month (UTC) - 1.
inline constexpr std::int64_t kCalendarMonth = -1;

struct IntervalInfo {
  const char* code;          // canonical code == Binance's native code
  std::int64_t duration_ms;  // kCalendarMonth for 1M
};

// All 15 canonical intervals, in catalogue order.
const std::vector<IntervalInfo>& intervals();
// nullptr when `code` is not a canonical code Binance serves.
const IntervalInfo* find_interval(std::string_view code);

// Open time of the bucket after the one that opens at `open_ms` (open + duration, or the
// first ms of the next UTC calendar month for kCalendarMonth).
std::int64_t next_open_ms(std::int64_t open_ms, std::int64_t interval_ms);
// open_ms + n buckets (calendar months for kCalendarMonth, keeping the offset into the month
// only when open_ms is a month start; see BinanceParsers.cpp).
std::int64_t add_buckets_ms(std::int64_t start_ms, std::int64_t interval_ms, std::int64_t n);

// "YYMMDD" of a UTC ms timestamp (e.g. 1735286400000 -> "241227").
std::string utc_yymmdd(std::int64_t ms);

// ------------------------------------------------------------------ symbols

// deliveryDate at or after 2100-01-01 UTC means "no delivery": perpetuals carry the
// sentinel 4133404800000 (2100-12-25 08:00), testnet 4133404802000, FETUSDT 4133408400000.
inline constexpr std::int64_t kNoDeliveryFromMs = 4102444800000;

// Binance contract status -> MDP_SYMBOL_*. Unknown text (TRADING_HALT, "", ...) -> halted.
std::int32_t map_status(std::string_view native_status);

// GET /fapi/v1/exchangeInfo body -> one canonical Symbol per entry of symbols[], in the
// exchange's order. Canonical symbols are made unique without losing a market: when several
// entries map to the same canonical symbol, one keeps it (trading before pre_trading before
// anything else, then the one whose native id is the natural BASEQUOTE[_YYMMDD], then the
// smaller native id) and every other one is listed as "<canonical>~<native symbol>" (the
// contract's collision suffix); one line per renamed entry is appended to *renamed (when given).
std::vector<mdp::sdk::Symbol> parse_exchange_info(std::string_view body,
                                                  std::vector<std::string>* renamed = nullptr);

// ------------------------------------------------------------------ candles

// GET /fapi/v1/klines body -> candles in body order. interval_ms is the bucket duration
// (or kCalendarMonth); close_time = next open - 1; closed = close_time < now_ms.
// Open times must be strictly ascending. Prices/volumes are canonical decimals from the
// row's strings; quote volume = field 7, trades = field 8.
std::vector<mdp::sdk::Candle> parse_klines(std::string_view body, std::int64_t interval_ms,
                                           std::int64_t now_ms);
// Same, into `out` (cleared first; its capacity and the strings' buffers are reused).
void parse_klines(std::string_view body, std::int64_t interval_ms, std::int64_t now_ms,
                  std::vector<mdp::sdk::Candle>& out);

// ------------------------------------------------------------------ error bodies

struct ApiError {
  std::int64_t code = 0;
  std::string msg;
};

// {"code":-1121,"msg":"Invalid symbol."} -> true and fills `out`; false for anything else
// (not JSON, no integer code, no string msg). Never throws.
bool parse_error_body(std::string_view body, ApiError& out);

}  // namespace mdp::binance
