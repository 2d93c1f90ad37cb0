// The opaque `cursor` / `next_cursor` of GET /v1/symbols: base64url (no padding) of
// "v1\n<exchange>\n<symbol>", the keyset position the next page continues after. Clients
// must not build or edit cursors; a cursor stays valid across syncs (it names a position,
// not an offset), and one that does not decode is a 400.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "SymbolService.hpp"

namespace mdp::api {

std::string encode_symbol_cursor(const service::SymbolPosition& position);
std::optional<service::SymbolPosition> decode_symbol_cursor(std::string_view cursor);

}  // namespace mdp::api
