// RetryBudget: retries earned per call and per second, spent one per retry, per exchange
// (RELIABILITY.md U5), with a ManualClock (no sleeping).
#include <gtest/gtest.h>

#include <stdexcept>

#include "Clock.hpp"
#include "RetryBudget.hpp"

namespace mdp::net {
namespace {

using std::chrono::milliseconds;

struct Fixture {
  explicit Fixture(RetryBudgetConfig config) : clock(std::make_shared<ManualClock>()), budget(config, clock) {}
  int spend_all(const std::string& exchange = "binance_futures") {
    int spent = 0;
    while (budget.try_withdraw(exchange)) ++spent;
    return spent;
  }
  std::shared_ptr<ManualClock> clock;
  RetryBudget budget;
};

TEST(RetryBudget, StartsWithTheBurstAndRefusesOnceItIsSpent) {
  Fixture f(RetryBudgetConfig{0.1, 0.0, 3.0});
  EXPECT_EQ(f.spend_all(), 3);
  EXPECT_FALSE(f.budget.try_withdraw("binance_futures"));
}

TEST(RetryBudget, TenCallsEarnOneRetryAtTenPercent) {
  Fixture f(RetryBudgetConfig{0.1, 0.0, 3.0});
  f.spend_all();
  for (int i = 0; i < 9; ++i) f.budget.deposit("binance_futures");
  EXPECT_FALSE(f.budget.try_withdraw("binance_futures"));
  f.budget.deposit("binance_futures");
  EXPECT_TRUE(f.budget.try_withdraw("binance_futures"));
  EXPECT_FALSE(f.budget.try_withdraw("binance_futures"));
}

TEST(RetryBudget, TheFloorRefillsWithTimeUpToTheBurst) {
  Fixture f(RetryBudgetConfig{0.1, 1.0, 10.0});
  f.spend_all();
  f.clock->advance(milliseconds(2'000));
  EXPECT_EQ(f.spend_all(), 2);
  f.clock->advance(milliseconds(600'000));
  EXPECT_DOUBLE_EQ(f.budget.tokens("binance_futures"), 10.0);
  for (int i = 0; i < 100; ++i) f.budget.deposit("binance_futures");
  EXPECT_EQ(f.spend_all(), 10);
}

TEST(RetryBudget, EachExchangeHasItsOwn) {
  Fixture f(RetryBudgetConfig{0.1, 0.0, 2.0});
  EXPECT_EQ(f.spend_all("binance_futures"), 2);
  EXPECT_EQ(f.spend_all("coinbase"), 2);
}

TEST(RetryBudget, RefusesABadConfig) {
  const auto clock = std::make_shared<ManualClock>();
  EXPECT_THROW(RetryBudget(RetryBudgetConfig{-0.1, 1.0, 10.0}, clock), std::invalid_argument);
  EXPECT_THROW(RetryBudget(RetryBudgetConfig{0.1, -1.0, 10.0}, clock), std::invalid_argument);
  EXPECT_THROW(RetryBudget(RetryBudgetConfig{0.1, 1.0, 0.5}, clock), std::invalid_argument);
}

}  // namespace
}  // namespace mdp::net
