// Exact ordering of canonical decimal strings (the grammar of mdp/decimal.hpp), with no
// conversion to a binary floating type: used to check low <= open/close <= high.
#pragma once

#include <string_view>

namespace mdp::plugins {

// -1, 0 or 1 as a <, ==, > b. Both arguments must satisfy mdp::is_canonical_decimal.
int compare_decimals(std::string_view a, std::string_view b) noexcept;

// True for a canonical decimal that is < 0.
inline bool is_negative_decimal(std::string_view a) noexcept { return !a.empty() && a[0] == '-'; }

}  // namespace mdp::plugins
