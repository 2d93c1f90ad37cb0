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

#if defined(__GNUC__)
#define MDP_COINBASE_HOT inline __attribute__((always_inline))
#else
#define MDP_COINBASE_HOT inline
#endif

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
