// Internal helpers shared by the Hyperliquid parsers (not part of the parsers' public API):
// one simdjson DOM parser and one padded input buffer per thread, reused across calls, and
// the protocol-error vocabulary.
#pragma once

#include <mdp/plugin.hpp>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::hyperliquid::detail {

// Throws Error(MDP_E_UPSTREAM_PROTOCOL, "hyperliquid <what>: <message>").
[[noreturn]] void protocol_error(std::string_view what, const std::string& message);

// Parses `body` with this thread's parser. The element stays valid until the next call
// on the same thread. Not JSON / truncated / empty → protocol error naming simdjson's
// reason and the first bytes of the body (an HTML error page shows up as such).
simdjson::dom::element parse_json(std::string_view body, std::string_view what);

// "object", "array", "string", "integer", "number", "boolean", "null".
const char* type_name(const simdjson::dom::element& e);

// Up to `max` bytes of `text`, control characters replaced by '?', for messages.
std::string snippet(std::string_view text, std::size_t max = 60);

}  // namespace mdp::hyperliquid::detail
