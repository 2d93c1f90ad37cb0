// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above
// U+10FFFF. Shared by the query parser (reject) and the JSON writer (replace).
#pragma once

#include <cstddef>
#include <string_view>

namespace mdp::http {

// Length (1..4) of the well-formed UTF-8 sequence that starts at `text[0]`, or 0 when the
// bytes there are not one. `text` must not be empty.
std::size_t utf8_sequence_length(std::string_view text) noexcept;

bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace mdp::http
