#include "MarketModel.hpp"

#include <gtest/gtest.h>

#include <mdp/plugin_abi.h>

namespace mdp::domain {
namespace {

TEST(MarketModel, NamesRoundTrip) {
  for (auto s : {SymbolStatus::Trading, SymbolStatus::Halted, SymbolStatus::PreTrading, SymbolStatus::Settling,
                 SymbolStatus::Delisted}) {
    EXPECT_EQ(symbol_status_from_string(to_string(s)), s);
  }
  for (auto t : {MarketType::Spot, MarketType::Perpetual, MarketType::Future}) {
    EXPECT_EQ(market_type_from_string(to_string(t)), t);
  }
  EXPECT_FALSE(symbol_status_from_string("TRADING"));
}

TEST(MarketModel, AbiCodesMapToTheSameValues) {
  EXPECT_EQ(symbol_status_from_code(MDP_SYMBOL_TRADING), SymbolStatus::Trading);
  EXPECT_EQ(symbol_status_from_code(MDP_SYMBOL_DELISTED), SymbolStatus::Delisted);
  EXPECT_EQ(market_type_from_code(MDP_MARKET_FUTURE), MarketType::Future);
  EXPECT_FALSE(symbol_status_from_code(0));
  EXPECT_FALSE(symbol_status_from_code(6));
  EXPECT_FALSE(market_type_from_code(4));
}

}  // namespace
}  // namespace mdp::domain
