#include "DelistGuard.hpp"

#include <gtest/gtest.h>

namespace mdp::sync {
namespace {

// A diff with `active` symbols stored and active, of which `delisted` would go.
storage::SymbolDiff diff(std::size_t active, std::size_t delisted) {
  storage::SymbolDiff d;
  d.active_before = active;
  d.delisted.resize(delisted);
  return d;
}

TEST(DelistGuard, AnEmptyAnswerIsAlwaysRefused) {
  for (std::size_t active : {0u, 1u, 2u, 1000u}) {
    const auto reason = suspect_answer(diff(active, active), 0, 1.0);
    ASSERT_TRUE(reason) << active;
    EXPECT_EQ(*reason, "suspect answer refused: the exchange listed no symbols (" + std::to_string(active) +
                           " active stored); nothing applied");
  }
}

TEST(DelistGuard, RefusesStrictlyAboveTheShare) {
  EXPECT_FALSE(suspect_answer(diff(4, 2), 2, 0.5)) << "exactly the limit is allowed";
  EXPECT_TRUE(suspect_answer(diff(4, 3), 1, 0.5));
  EXPECT_FALSE(suspect_answer(diff(10, 5), 5, 0.5));
  EXPECT_TRUE(suspect_answer(diff(10, 6), 4, 0.5));
  EXPECT_FALSE(suspect_answer(diff(10, 6), 4, 0.6));
  EXPECT_TRUE(suspect_answer(diff(1, 1), 3, 0.5)) << "a tiny exchange losing its only symbol";
  EXPECT_FALSE(suspect_answer(diff(1, 1), 3, 1.0)) << "1.0 allows any delisting but an empty answer";
  EXPECT_FALSE(suspect_answer(diff(3, 0), 3, 0.01));
}

TEST(DelistGuard, NothingStoredMeansNothingToDelist) {
  EXPECT_FALSE(suspect_answer(diff(0, 0), 5, 0.5));
}

TEST(DelistGuard, TheReasonGivesCountsShareAndLimit) {
  const auto reason = suspect_answer(diff(3, 2), 1, 0.5);
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason,
            "suspect answer refused: it would delist 2 of 3 active symbols (67%), above the limit of 50% "
            "(sync.max_delist_fraction); nothing applied");
}

}  // namespace
}  // namespace mdp::sync
