// The rows the storage benchmark writes: `count` distinct, valid symbols of one exchange,
// deterministic, with the field mix a real listing has (mostly perpetuals, some spot and
// dated futures; tick sizes and steps with varying decimals).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "MarketModel.hpp"

namespace mdp::bench {

inline constexpr const char* kBenchExchange = "bench";

std::vector<domain::Symbol> bench_symbols(std::size_t count, const std::string& exchange = kBenchExchange);

}  // namespace mdp::bench
