// /ready's metadata freshness checks (app::ReadinessState): one "sync:<id>" per loaded
// exchange; not ready while no exchange has ever synced.
#include <gtest/gtest.h>

#include "ReadinessState.hpp"

namespace mdp::app {
namespace {

std::vector<http::ReadinessCheck> sync_checks(ReadinessState& state) {
  std::vector<http::ReadinessCheck> out;
  for (auto& check : state.checks()) {
    if (check.name.rfind("sync", 0) == 0) out.push_back(check);
  }
  return out;
}

TEST(ReadinessSyncChecks, UnknownUntilTheFirstRead) {
  ReadinessState state;
  const auto checks = sync_checks(state);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].name, "sync");
  EXPECT_FALSE(checks[0].ok);
  EXPECT_EQ(checks[0].detail, "not read yet");
}

TEST(ReadinessSyncChecks, NoExchangeLoadedIsNotReady) {
  ReadinessState state;
  state.set_sync_freshness({});
  const auto checks = sync_checks(state);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_FALSE(checks[0].ok);
  EXPECT_EQ(checks[0].detail, "no exchange loaded");
}

TEST(ReadinessSyncChecks, NotReadyWhileNoExchangeEverSynced) {
  ReadinessState state;
  state.set_sync_freshness({{"a", std::nullopt}, {"b", std::nullopt}});
  const auto checks = sync_checks(state);
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].name, "sync:a");
  EXPECT_EQ(checks[1].name, "sync:b");
  for (const auto& check : checks) {
    EXPECT_FALSE(check.ok);
    EXPECT_EQ(check.detail, "never");
  }
}

TEST(ReadinessSyncChecks, OneSyncedExchangeIsEnoughAndEachShowsItsLastSuccess) {
  ReadinessState state;
  state.set_sync_freshness({{"a", 1712192400000}, {"b", std::nullopt}});
  const auto checks = sync_checks(state);
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_TRUE(checks[0].ok);
  EXPECT_EQ(checks[0].detail, "2024-04-04T01:00:00.000Z");
  EXPECT_TRUE(checks[1].ok) << "like plugins: one working exchange is enough to serve";
  EXPECT_EQ(checks[1].detail, "never");
}

}  // namespace
}  // namespace mdp::app
