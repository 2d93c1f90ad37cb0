#include <gtest/gtest.h>

#include "SymbolDiff.hpp"

using namespace mdp::storage;
using mdp::domain::SymbolStatus;

namespace {
mdp::domain::Symbol sym(const std::string& base, const std::string& tick = "0.01") {
  mdp::domain::Symbol s;
  s.exchange = "ex";
  s.symbol = base + "/USDT";
  s.native_symbol = base + "USDT";
  s.base = base;
  s.quote = "USDT";
  s.tick_size = tick;
  return s;
}
StoredSymbol stored(const mdp::domain::Symbol& s, std::int64_t id) {
  StoredSymbol out;
  static_cast<mdp::domain::Symbol&>(out) = s;
  out.id = id;
  out.first_seen_ms = out.last_seen_ms = out.updated_at_ms = 100;
  if (s.status == SymbolStatus::Delisted) out.delisted_at_ms = 100;
  return out;
}
}  // namespace

TEST(SymbolDiff, EmptyStoreMeansEverythingIsAdded) {
  const auto diff = diff_symbols({}, {sym("ETH"), sym("BTC")});
  ASSERT_EQ(diff.added.size(), 2u);
  EXPECT_EQ(diff.added[0].symbol, "BTC/USDT");  // sorted
  EXPECT_TRUE(diff.changed.empty());
  EXPECT_TRUE(diff.delisted.empty());
  EXPECT_EQ(diff.active_before, 0u);
  EXPECT_EQ(diff.delisted_share(), 0.0);
}

TEST(SymbolDiff, IdenticalListChangesNothingButIsSeen) {
  const auto diff = diff_symbols({stored(sym("BTC"), 1), stored(sym("ETH"), 2)}, {sym("ETH"), sym("BTC")});
  EXPECT_FALSE(diff.has_changes());
  EXPECT_EQ(diff.unchanged_seen, (std::vector<std::string>{"BTC/USDT", "ETH/USDT"}));
}

TEST(SymbolDiff, AddChangeDelistAtOnce) {
  const auto diff = diff_symbols({stored(sym("BTC"), 1), stored(sym("ETH"), 2), stored(sym("XRP"), 3)},
                                 {sym("BTC"), sym("ETH", "0.001"), sym("SOL")});
  ASSERT_EQ(diff.added.size(), 1u);
  EXPECT_EQ(diff.added[0].symbol, "SOL/USDT");
  ASSERT_EQ(diff.changed.size(), 1u);
  EXPECT_EQ(diff.changed[0].before.id, 2);
  ASSERT_EQ(diff.changed[0].tracked.size(), 1u);
  EXPECT_EQ(diff.changed[0].tracked[0].field, "tick_size");
  EXPECT_EQ(diff.changed[0].tracked[0].old_value.value(), "0.01");
  EXPECT_EQ(diff.changed[0].tracked[0].new_value.value(), "0.001");
  ASSERT_EQ(diff.delisted.size(), 1u);
  EXPECT_EQ(diff.delisted[0].symbol, "XRP/USDT");
  EXPECT_EQ(diff.unchanged_seen, (std::vector<std::string>{"BTC/USDT"}));
  EXPECT_EQ(diff.active_before, 3u);
  EXPECT_NEAR(diff.delisted_share(), 1.0 / 3.0, 1e-9);
}

TEST(SymbolDiff, TracksEveryTrackedFieldIncludingNullTransitions) {
  auto before = sym("BTC");
  auto after = before;
  after.status = SymbolStatus::Halted;
  after.tick_size.reset();
  after.lot_step = "0.1";
  after.min_qty = "1";
  after.min_notional = "10";
  after.contract_size = "100";
  const auto diff = diff_symbols({stored(before, 1)}, {after});
  ASSERT_EQ(diff.changed.size(), 1u);
  const auto& tracked = diff.changed[0].tracked;
  ASSERT_EQ(tracked.size(), 6u);
  EXPECT_EQ(tracked[0].field, "status");
  EXPECT_EQ(tracked[0].old_value.value(), "trading");
  EXPECT_EQ(tracked[0].new_value.value(), "halted");
  EXPECT_EQ(tracked[1].field, "tick_size");
  EXPECT_FALSE(tracked[1].new_value.has_value());
  EXPECT_EQ(tracked[2].field, "lot_step");
  EXPECT_FALSE(tracked[2].old_value.has_value());
}

TEST(SymbolDiff, UntrackedChangeIsAChangeWithoutLogRows) {
  auto after = sym("BTC");
  after.native_status = "BREAK";
  const auto diff = diff_symbols({stored(sym("BTC"), 1)}, {after});
  ASSERT_EQ(diff.changed.size(), 1u);
  EXPECT_TRUE(diff.changed[0].tracked.empty());
}

TEST(SymbolDiff, DelistedStaysDelistedAndRelistingIsAStatusChange) {
  auto gone = sym("LUNA");
  gone.status = SymbolStatus::Delisted;
  auto back = sym("FTT");
  back.status = SymbolStatus::Delisted;
  const auto diff = diff_symbols({stored(gone, 1), stored(back, 2)}, {sym("FTT")});
  EXPECT_TRUE(diff.delisted.empty());
  EXPECT_EQ(diff.active_before, 0u);
  ASSERT_EQ(diff.changed.size(), 1u);
  EXPECT_EQ(diff.changed[0].after.symbol, "FTT/USDT");
  ASSERT_EQ(diff.changed[0].tracked.size(), 1u);
  EXPECT_EQ(diff.changed[0].tracked[0].old_value.value(), "delisted");
  EXPECT_EQ(diff.changed[0].tracked[0].new_value.value(), "trading");
}

TEST(SymbolDiff, EmptyAnswerDelistsEverythingSoTheCallerCanRefuseIt) {
  const auto diff = diff_symbols({stored(sym("BTC"), 1), stored(sym("ETH"), 2)}, {});
  EXPECT_EQ(diff.delisted.size(), 2u);
  EXPECT_EQ(diff.delisted_share(), 1.0);
}

TEST(SymbolDiff, DuplicateFetchedSymbolsAreRejected) {
  EXPECT_THROW(diff_symbols({}, {sym("BTC"), sym("BTC")}), SymbolDiffError);
  auto other = sym("XBT");
  other.native_symbol = "BTCUSDT";
  EXPECT_THROW(diff_symbols({}, {sym("BTC"), other}), SymbolDiffError);
}
