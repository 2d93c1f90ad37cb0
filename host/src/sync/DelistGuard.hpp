// The "suspect answer" rule of a metadata sync (issue 4): an exchange answer that would
// delist too much at once is more likely a broken, truncated or filtered response than a
// real mass delisting, so it is not applied. Pure: no database, no I/O.
//
// The rule, exactly:
//  1. An answer with no symbols at all is refused, whatever is stored (an exchange with no
//     markets is never real; applying it would delist everything, or on a first sync record
//     an empty success).
//  2. Otherwise, with A = symbols active before the sync (stored, not delisted) and D = the
//     symbols this diff would delist: refused when A > 0 and D / A > max_delist_fraction.
//     Exactly the limit is allowed (2 of 4 with 0.5).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "SymbolDiff.hpp"

namespace mdp::sync {

inline constexpr double kDefaultMaxDelistFraction = 0.5;

// nullopt when the diff may be applied; otherwise why not, as a short sentence for
// sync_runs.error (counts only, no symbol names, no upstream text).
std::optional<std::string> suspect_answer(const storage::SymbolDiff& diff, std::size_t fetched_count,
                                          double max_delist_fraction);

}  // namespace mdp::sync
