// Hyperliquid response parsers: bytes in, canonical rows out. No network, no host: the
// plugin, the tests and the benchmarks all call these same functions.
//
// Every function throws mdp::sdk::Error on a body that does not match the documented
// shape (MDP_E_UPSTREAM_PROTOCOL, the message names the field and the row), and never
// returns a partial result: a bad row fails the whole body. Numbers are read as integers
// (szDecimals, token indexes, times, trade counts) or as the exchange's own decimal text
// (prices, volumes): nothing goes through a binary floating type.
//
// Thread safety: every function may be called concurrently from several threads; each
// thread parses with its own simdjson parser (thread_local, reused across calls).
#pragma once

#include <mdp/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mdp::hyperliquid {

// ------------------------------------------------------------------ intervals and time

// Largest page one candleSnapshot call returns, and the number of most recent candles per
// (coin, interval) the exchange keeps at all.
inline constexpr std::uint32_t kPageCap = 5000;
inline constexpr std::int64_t kHistoryCandles = 5000;

// One supported interval. Native code == canonical code on Hyperliquid.
struct IntervalSpec {
  const char* code;
  std::int64_t duration_ms;  // 0 for the calendar month (1M)
};

// The 14 intervals Hyperliquid serves (the canonical catalogue minus 6h), in catalogue order.
const std::vector<IntervalSpec>& supported_intervals();
// nullptr when `code` is not a supported canonical interval.
const IntervalSpec* find_interval(std::string_view code);
// "1m, 3m, ..., 1M" for error messages.
std::string supported_interval_list();

// Open time of the bucket containing `t_ms` (floor on the interval's grid: epoch-aligned
// for 1m..3d, Monday 00:00 UTC for 1w, the first of the month 00:00 UTC for 1M).
std::int64_t bucket_open_ms(const IntervalSpec& interval, std::int64_t t_ms);
// Open time `n` buckets after (n < 0: before) the bucket opening at `open_ms`.
std::int64_t add_buckets(const IntervalSpec& interval, std::int64_t open_ms, std::int64_t n);
// Open time of the next bucket; close_time = next_open_ms(open) - 1.
std::int64_t next_open_ms(const IntervalSpec& interval, std::int64_t open_ms);
// Earliest open time the exchange can still serve at `now_ms`: the bucket kHistoryCandles - 1
// buckets before the one in progress (the in-progress candle counts as one of the 5000).
std::int64_t earliest_served_open_ms(const IntervalSpec& interval, std::int64_t now_ms);

// ------------------------------------------------------------------ candles

// Parses a candleSnapshot response (a JSON array of {t,T,s,i,o,c,h,l,v,n} objects) into
// `out` (cleared first; its capacity is reused), in the exchange's order, without range
// filtering. Per row: open_time = t; close_time = next_open_ms(t) - 1 (calendar month for
// 1M); open/high/low/close/volume = canonical text of o/h/l/c/v (JSON strings); quote_volume
// = "" (not given); trades = n; closed = close_time < now_ms.
// Throws Error(MDP_E_NOT_FOUND) when the body is JSON `null` (Hyperliquid's answer for an
// unknown coin) and Error(MDP_E_UPSTREAM_PROTOCOL) for anything off-shape: not JSON, not an
// array, a row that is not an object, a missing/duplicated/wrong-typed t, T, o, h, l, c, v
// or n, a value that is not a decimal, T < t, or open times not strictly ascending.
void parse_candle_snapshot(std::string_view body, const IntervalSpec& interval, std::int64_t now_ms,
                           std::vector<sdk::Candle>& out);
// Convenience overload for benchmarks and tests: throws Error(MDP_E_UNSUPPORTED) for an
// unknown interval code.
std::vector<sdk::Candle> parse_candle_snapshot(std::string_view body, std::string_view interval,
                                               std::int64_t now_ms);

// ------------------------------------------------------------------ symbols

// A spot token from spotMeta.tokens[], keyed by its `index` field (not its array position).
struct SpotToken {
  std::string name;
  std::int32_t sz_decimals = 0;
};
using TokenTable = std::unordered_map<std::int64_t, SpotToken>;

// Parses {"type":"spotMeta"} → spot symbols appended to `out`, in universe order.
// Canonical BASE/QUOTE from the token names (tokens looked up by their `index`); native
// symbol = the pair's name ("PURR/USDC", "@107"); lot step 10^-szDecimals(base); tick "";
// price_max_decimals = max(0, 8 - szDecimals(base)); price_max_sig_figs 5; status trading.
// A pair whose token index is unknown, whose token name cannot form a canonical symbol, or
// whose native name repeats an earlier pair is skipped and described in `warnings`; pairs
// mapping to the same BASE/QUOTE keep unique symbols (see README "Spot collisions").
// `tokens_out`, when given, receives the token table (used to name a perp dex collateral).
void parse_spot_meta(std::string_view body, std::vector<sdk::Symbol>& out,
                     std::vector<std::string>& warnings, TokenTable* tokens_out = nullptr);

// Parses {"type":"meta"} → perpetual symbols appended to `out`, in universe order.
// Canonical BASE/USDC:USDC with BASE = the coin name as served (kPEPE stays kPEPE);
// native symbol = the name; contract size 1; lot step 10^-szDecimals; tick "";
// price_max_decimals = max(0, 6 - szDecimals); price_max_sig_figs 5; status delisted when
// isDelisted is true, trading otherwise (absent/null/false). The settle/quote asset is USDC
// unless the body names another collateralToken, which is then looked up in `tokens`
// (unknown → protocol error). A coin name that repeats or holds '/' or ':' (HIP-3
// "dex:COIN") is skipped and described in `warnings`.
void parse_perp_meta(std::string_view body, const TokenTable* tokens, std::vector<sdk::Symbol>& out,
                     std::vector<std::string>& warnings);

// The whole list_symbols result from the two bodies: perps first, then spot, with a final
// pass that guarantees unique canonical and native symbols (a later duplicate is dropped
// with a warning — never emitted).
std::vector<sdk::Symbol> build_symbol_list(std::string_view meta_body, std::string_view spot_meta_body,
                                           std::vector<std::string>& warnings);

// Drops every symbol whose canonical or native symbol repeats an earlier one (warning each).
void drop_duplicate_symbols(std::vector<sdk::Symbol>& symbols, std::vector<std::string>& warnings);

// "1", "0.1", "0.00001" for sz_decimals 0, 1, 5.
std::string lot_step_from_sz_decimals(std::int32_t sz_decimals);

}  // namespace mdp::hyperliquid
