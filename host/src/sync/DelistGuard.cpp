#include "DelistGuard.hpp"

#include <cmath>

namespace mdp::sync {
namespace {

std::string percent(double share) { return std::to_string(std::lround(share * 100.0)) + "%"; }

}  // namespace

std::optional<std::string> suspect_answer(const storage::SymbolDiff& diff, std::size_t fetched_count,
                                          double max_delist_fraction) {
  if (fetched_count == 0) {
    return "suspect answer refused: the exchange listed no symbols (" + std::to_string(diff.active_before) +
           " active stored); nothing applied";
  }
  if (diff.active_before == 0) return std::nullopt;
  // Compare in integers where possible: D / A > f  <=>  D > f * A (A > 0).
  const double delisted = static_cast<double>(diff.delisted.size());
  const double allowed = max_delist_fraction * static_cast<double>(diff.active_before);
  if (delisted <= allowed) return std::nullopt;
  return "suspect answer refused: it would delist " + std::to_string(diff.delisted.size()) + " of " +
         std::to_string(diff.active_before) + " active symbols (" + percent(diff.delisted_share()) +
         "), above the limit of " + percent(max_delist_fraction) + " (sync.max_delist_fraction); nothing applied";
}

}  // namespace mdp::sync
