// Base64 in the three flavours auth needs, all strict: a decoder accepts exactly what the
// matching encoder produces and nothing else (RFC 7515 §2, RFC 4648 §3.5), because a JWT
// pre-check and a cache keyed by token text are only sound when each value has one
// spelling (RELIABILITY.md J4).
//   - base64url without padding: JWT segments;
//   - standard alphabet without padding: PHC hash strings;
//   - standard alphabet with padding: HTTP Basic credentials (RFC 7617).
// Decoders refuse characters outside the alphabet (whitespace included), a length that no
// encoding has, misplaced or missing padding, and non-zero unused bits in the last symbol.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mdp::auth {

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

std::string base64_encode_unpadded(std::string_view bytes);
std::optional<std::string> base64_decode_unpadded(std::string_view text);

std::string base64_encode_padded(std::string_view bytes);
std::optional<std::string> base64_decode_padded(std::string_view text);

}  // namespace mdp::auth
