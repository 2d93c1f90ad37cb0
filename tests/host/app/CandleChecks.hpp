// Invariants every candle series the host serves must keep (DESIGN.md "The canonical model"),
// as gtest expectations, plus the symbol-list invariants of issue 3.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "MarketModel.hpp"

namespace mdp::app::integration {

// Ascending, unique open times; open < close time; closed; low <= open, close <= high;
// volumes non-negative. Exact decimal comparison, never through double.
void expect_candle_invariants(const std::vector<domain::Candle>& candles, const std::string& what);

// Canonical and native symbols unique within the list, every field the model requires present.
void expect_symbol_invariants(const std::vector<domain::Symbol>& symbols, const std::string& exchange);

// The exchange's decimal text as the canonical grammar writes it: "42100.10" -> "42100.1",
// "5.000" -> "5", "0.0" -> "0" (the exact-decimals check: canonical == exchange text up to
// trailing zeros).
std::string without_trailing_zeros(std::string_view text);

}  // namespace mdp::app::integration
