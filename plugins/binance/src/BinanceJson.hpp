// Internal to mdp_binance_parsers: the per-thread simdjson parser and the protocol-error
// helpers shared by BinanceSymbols.cpp and BinanceCandles.cpp.
#pragma once

#include <mdp/decimal.hpp>
#include <mdp/plugin.hpp>
#include <simdjson.h>

#include <string>
#include <string_view>

namespace mdp::binance::detail {

// One DOM parser per thread: a plugin instance is called concurrently, and a parser
// (with its grown buffers) is reused by every parse on the same thread. A document
// parsed with it stays valid until the next parse on the same thread.
simdjson::dom::parser& thread_parser();

[[noreturn]] void protocol_error(std::string message);

// Parses `body` (copied into a padded buffer by simdjson) or throws
// MDP_E_UPSTREAM_PROTOCOL naming `what`, simdjson's reason and how the body starts.
simdjson::dom::element parse_or_throw(std::string_view body, std::string_view what);

// At most 60 bytes of `body`, control characters replaced, for error messages.
std::string snippet(std::string_view body);

// Canonical decimal of an exchange decimal string, exactly what mdp::to_canonical_decimal
// gives (returns false for the same inputs). Plain non-negative decimals (\d+(\.\d+)?, what
// Binance sends) take a fast path: one scan, leading/trailing zeros trimmed by index, one
// assign; anything else (sign, exponent, odd text) goes to mdp::to_canonical_decimal.
inline bool canonical_decimal(std::string_view in, std::string& out) {
  const char* p = in.data();
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n && static_cast<unsigned char>(p[i] - '0') < 10) ++i;
  const std::size_t int_end = i;
  std::size_t end = n;
  if (int_end == 0 || n > kMaxDecimalInput) return to_canonical_decimal(in, out);
  if (i < n) {
    if (p[i] != '.') return to_canonical_decimal(in, out);
    const std::size_t frac_begin = ++i;
    while (i < n && static_cast<unsigned char>(p[i] - '0') < 10) ++i;
    if (i != n || i == frac_begin) return to_canonical_decimal(in, out);
    while (end > frac_begin && p[end - 1] == '0') --end;
    if (end == frac_begin) end = int_end;  // all-zero fraction: drop it with its '.'
  }
  std::size_t begin = 0;
  while (begin + 1 < int_end && p[begin] == '0') ++begin;  // keep one digit before the point
  out.assign(p + begin, end - begin);
  return true;
}

// JSON type name for messages ("string", "number", "object", ...).
const char* type_name(const simdjson::dom::element& e) noexcept;

}  // namespace mdp::binance::detail
