// Checks a verified token's claim set against JwtRules on the raw JSON types, never through
// a double or a library getter that coerces (Poco's getExpiration() turns a missing exp into
// 1970 and "9999999999" into a date: RELIABILITY.md §8 #3).
//
// Required: exp, iat (integers in [0, 2^53)); iss (exact); aud (string or array of strings
// containing the audience); sub and client_id (equal, [A-Za-z0-9._-]{1,128}); jti (a non-empty
// string). Optional: nbf (integer), scope (RFC 6749 §3.3 syntax). Other claims are ignored.
#pragma once

#include <cstdint>

#include "AccessToken.hpp"
#include "JsonObjectParser.hpp"
#include "JwtRules.hpp"

namespace mdp::auth {

// TokenRejection::None and `principal` filled when the claims pass; `principal` is left
// untouched otherwise.
TokenRejection validate_claims(const JsonObject& claims, const JwtRules& rules, std::int64_t now_s,
                               Principal& principal);

// RFC 6749 §3.3: scope-token *( SP scope-token ), scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
// False for an empty string, doubled or edge spaces, or other bytes.
bool parse_scope_list(std::string_view text, std::vector<std::string>& scopes);

// Client ids we accept in tokens and requests: 1..128 of [A-Za-z0-9._-].
bool is_valid_client_id(std::string_view id) noexcept;

}  // namespace mdp::auth
