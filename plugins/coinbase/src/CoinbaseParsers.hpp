// Coinbase Advanced Trade public market API: pure parse/normalise functions.
//
// Bytes in, canonical rows out; no network, no host. The plugin (CoinbasePlugin.cpp), the
// tests and the benchmarks call these same functions. Every failure to match the documented
// shape throws mdp::sdk::Error(MDP_E_UPSTREAM_PROTOCOL) with a message naming the field and
// the row; nothing is ever returned half-parsed.
//
// Thread safety: every function may be called concurrently from several threads. Each
// thread keeps its own simdjson parser and padded input buffer (thread_local), reused
// across calls.
//
// Decimals are taken from the exchange's own token text (the content of a JSON string, or
// the raw text of a JSON number token) and canonicalised with mdp::to_canonical_decimal;
// nothing goes through a binary floating type.
#pragma once

#include <mdp/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::coinbase {

// ------------------------------------------------------------------ intervals

// One canonical interval and the Advanced Trade `granularity` enum value that serves it.
struct IntervalInfo {
  const char* canonical;    // "1m"
  const char* granularity;  // "ONE_MINUTE"
  std::int64_t duration_ms; // bucket width
};

// The nine granularities Advanced Trade serves, in canonical order.
inline constexpr IntervalInfo kIntervals[] = {
    {"1m", "ONE_MINUTE", 60'000},           {"5m", "FIVE_MINUTE", 300'000},
    {"15m", "FIFTEEN_MINUTE", 900'000},     {"30m", "THIRTY_MINUTE", 1'800'000},
    {"1h", "ONE_HOUR", 3'600'000},          {"2h", "TWO_HOUR", 7'200'000},
    {"4h", "FOUR_HOUR", 14'400'000},        {"6h", "SIX_HOUR", 21'600'000},
    {"1d", "ONE_DAY", 86'400'000},
};
inline constexpr std::size_t kIntervalCount = sizeof(kIntervals) / sizeof(kIntervals[0]);

// Advanced Trade refuses (INVALID_ARGUMENT, no candles) a window wider than 350 buckets.
inline constexpr std::uint32_t kCandlePageCap = 350;

// nullptr when the canonical code is not served by Coinbase.
const IntervalInfo* find_interval(std::string_view canonical) noexcept;
// "1m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 1d" (for error messages).
std::string supported_intervals_text();

// ------------------------------------------------------------------ products -> symbols

// One product as parsed from a products page, before the listing-wide steps
// (de-duplication, alias cross-fill, canonical-symbol uniqueness) of finalize_symbols().
struct ParsedProduct {
  mdp::sdk::Symbol symbol;
  std::vector<std::string> alias_to;  // product ids sharing this product's book
  bool natural = false;               // spot product whose id is exactly BASE-QUOTE
};

// A product the parser recognised but does not map (unknown product_type or
// contract_expiry_type). Reported so the plugin can log it; never silently dropped.
struct SkippedProduct {
  std::string product_id;
  std::string reason;
};

// One `GET /api/v3/brokerage/market/products` response.
struct ProductsPage {
  std::vector<ParsedProduct> products;
  std::vector<SkippedProduct> skipped;
  std::size_t raw_count = 0;         // entries in "products" (mapped + skipped)
  std::int64_t num_products = -1;    // "num_products" (number or string), -1 when absent/null
  bool has_next = false;             // "pagination": {"has_next": true}
};

// Parses a products page. Throws Error(MDP_E_UPSTREAM_PROTOCOL) on any shape error: not JSON,
// truncated, "products" missing or not an array, a product with a wrong-typed field, a
// missing product_id/product_type, a non-decimal increment, an EXPIRING future without a
// parseable contract_expiry, ...
ProductsPage parse_products_page(std::string_view body);

// Parses one product object (the `GET /api/v3/brokerage/market/products/{id}` body). Throws as
// above; also throws PROTOCOL when the product is of a type this plugin does not map.
ParsedProduct parse_product(std::string_view body);

// Listing-wide normalisation over every page of every product query, in listing order:
//  1. de-duplicate by native symbol (first occurrence wins: the queries overlap);
//  2. alias_of: from "alias", and cross-filled from the other side's "alias_to";
//  3. canonical symbols made unique: within a group of products mapping to one canonical
//     symbol, the natural spot product (id == BASE-QUOTE) keeps it, else the smallest product
//     id; every other member becomes "<canonical>~<product_id>".
// `notes` (optional) receives one line per renamed product.
std::vector<mdp::sdk::Symbol> finalize_symbols(std::vector<ParsedProduct> products,
                                               std::vector<std::string>* notes = nullptr);

// parse_products_page + finalize_symbols for a single page (tests, benchmarks, conformance).
std::vector<mdp::sdk::Symbol> parse_symbols(std::string_view body);

// ------------------------------------------------------------------ candles

// Parses a candles response {"candles":[{"start","low","high","open","close","volume"},...]}
// (newest first on the wire; values as JSON strings or numbers) into `out`, ascending by open
// time. open_time = start * 1000; close_time = open_time + interval_ms - 1;
// closed = close_time < now_ms; quote_volume = "" and trades = -1 (Coinbase gives neither).
// Throws PROTOCOL on any shape error, a non-decimal value, or two candles with one start.
// `out` is cleared first (pass the same vector again to reuse its capacity).
void parse_candles(std::string_view body, std::int64_t interval_ms, std::int64_t now_ms,
                   std::vector<mdp::sdk::Candle>& out);

// Convenience overload for a canonical interval code ("1h"); throws
// Error(MDP_E_UNSUPPORTED) for a code Coinbase does not serve.
std::vector<mdp::sdk::Candle> parse_candles(std::string_view body, std::string_view interval,
                                            std::int64_t now_ms);

// ------------------------------------------------------------------ error bodies

// The Advanced Trade error envelope {"error": CODE, "message": "...", "error_details": ...}.
// Never throws: a body that is not such an object leaves is_json_object false.
struct ErrorBody {
  bool is_json_object = false;
  std::string error;    // e.g. "NOT_FOUND", "INVALID_ARGUMENT", "unknown"
  std::string message;
  std::string details;  // error_details (a string, or the raw JSON of a non-string value)
};
ErrorBody parse_error_body(std::string_view body) noexcept;

// ------------------------------------------------------------------ time helpers

// "2026-04-24T15:00:00Z", "2021-07-01T00:00:00.000Z", "2024-04-09T09:00:00.000008Z",
// "2026-04-24T16:00:00+01:00" -> UTC ms (fraction truncated to ms). false when malformed.
bool parse_iso8601_ms(std::string_view text, std::int64_t& out_ms) noexcept;
// UTC calendar date of a UTC ms time as YYMMDD ("260424").
std::string yymmdd_utc(std::int64_t ms);

}  // namespace mdp::coinbase
