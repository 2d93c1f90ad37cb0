// Internal to mdp_coinbase_parsers: the simdjson On-Demand plumbing the symbol, candle and
// error parsers share (per-thread parser and padded buffer, token-text access, errors).
// Not part of the parse API; include CoinbaseParsers.hpp instead.
#pragma once

#include <simdjson.h>

#include <mdp/plugin.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace mdp::coinbase::json {

namespace od = simdjson::ondemand;

[[noreturn]] void protocol_error(const std::string& message);
// "<what>: invalid JSON (<simdjson's reason>)".
[[noreturn]] void json_error(std::string_view what, simdjson::error_code code);

// This thread's On-Demand parser (reused across calls; never shared between threads).
od::parser& thread_parser();
// This thread's DOM parser (same rules).
simdjson::dom::parser& thread_dom_parser();

// Copies `body` into this thread's buffer with SIMDJSON_PADDING zero bytes after it, as
// simdjson requires, and returns a view of it. Valid until the next call on this thread.
simdjson::padded_string_view padded(std::string_view body);

// Throws PROTOCOL when `body` plainly is not a JSON object (empty, an HTML page, an array...),
// naming what it starts with.
void expect_object_text(std::string_view body, std::string_view what);

// Starts iterating `body` as a JSON object; throws PROTOCOL when it is not one.
// `what` names the response in messages ("candles response").
od::object root_object(od::document& doc, std::string_view body, std::string_view what);

// Throws PROTOCOL unless the document was consumed to its end (trailing content).
void expect_end(od::document& doc, std::string_view what);

// A first look at a value's raw token: its JSON kind, decided from the first byte.
enum class Kind { String, Number, Bool, Null, Object, Array, Invalid };

// The raw token of a scalar, with trailing whitespace removed. For a string token the
// quotes are stripped and `Kind::String` returned; the content is returned escaped (a
// backslash makes it fail decimal/integer checks, which is what we want for numbers).
Kind scalar_token(od::value& value, std::string_view& text);

inline const char* kind_name(Kind kind) noexcept {
  switch (kind) {
    case Kind::String: return "string";
    case Kind::Number: return "number";
    case Kind::Bool: return "boolean";
    case Kind::Null: return "null";
    case Kind::Object: return "object";
    case Kind::Array: return "array";
    case Kind::Invalid: break;
  }
  return "invalid token";
}

// Up to 40 bytes of a token for messages, with control bytes replaced.
std::string excerpt(std::string_view text);

// Canonical decimal text of an exchange token, identical to mdp::to_canonical_decimal (and
// false in the same cases). Fast path for the plain form Coinbase sends, -?D+(.D+)? with no
// superfluous leading zero and a non-zero value, whose canonical text is a prefix of the
// input (trailing fractional zeros cut): one pass, one small copy. Everything else
// (exponents, "007", zero, "-0.0", malformed text...) goes to the SDK function, out of line.
// About 2-3x faster than the SDK function on candle values; a test checks both agree.
bool canonical_decimal_general(std::string_view in, std::string& out);

#if defined(__GNUC__)
#define MDP_COINBASE_HOT inline __attribute__((always_inline))
#else
#define MDP_COINBASE_HOT inline
#endif

MDP_COINBASE_HOT bool canonical_decimal(std::string_view in, std::string& out) {
  const char* p = in.data();
  const std::size_t n = in.size();
  if (n == 0 || n > 40) return canonical_decimal_general(in, out);
  // Copy while validating (short strings: no separate memcpy call), then cut the length.
  out.resize(n);
  char* q = &out[0];
  const std::size_t int_begin = p[0] == '-' ? 1 : 0;
  q[0] = p[0];
  std::size_t dot = 0;            // index of '.', 0 when none (it can never be at 0)
  std::size_t last_nonzero = 0;   // one past the last digit other than '0'
  for (std::size_t i = int_begin; i < n; ++i) {
    const char c = p[i];
    q[i] = c;
    const unsigned digit = static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
    if (digit <= 9u) {
      if (digit != 0) last_nonzero = i + 1;
    } else if (c == '.' && dot == 0 && i > int_begin) {  // a '.' after integer digits
      dot = i;
    } else {
      return canonical_decimal_general(in, out);
    }
  }
  const std::size_t int_end = dot != 0 ? dot : n;
  // Needs integer digits, fraction digits after a '.', no leading zero before more integer
  // digits, and a non-zero value (zero and "-0" are the general path's business).
  if (int_end == int_begin || (dot != 0 && dot + 1 == n) || last_nonzero == 0 ||
      (p[int_begin] == '0' && int_end - int_begin > 1)) {
    return canonical_decimal_general(in, out);
  }
  // Cut trailing fractional zeros (and the '.' when nothing is left after it).
  const std::size_t end = dot == 0 ? n : (last_nonzero > dot ? last_nonzero : dot);
  if (end != n) out.resize(end);
  return true;
}

// Digits-only non-negative integer (no sign, no fraction, <= 18 digits). false otherwise.
MDP_COINBASE_HOT bool parse_uint(std::string_view text, std::int64_t& out) noexcept {
  if (text.empty() || text.size() > 18) return false;
  std::int64_t value = 0;
  for (char c : text) {
    const unsigned digit = static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
    if (digit > 9u) return false;
    value = value * 10 + static_cast<std::int64_t>(digit);
  }
  out = value;
  return true;
}

}  // namespace mdp::coinbase::json
