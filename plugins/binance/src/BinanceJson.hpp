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

// JSON type name for messages ("string", "number", "object", ...).
const char* type_name(const simdjson::dom::element& e) noexcept;

}  // namespace mdp::binance::detail
