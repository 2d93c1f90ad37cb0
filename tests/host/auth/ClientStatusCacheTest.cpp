#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "ClientStatusCache.hpp"

namespace mdp::auth {
namespace {

TEST(ClientStatusCache, AsksAgainOnlyAfterTheTtl) {
  std::map<std::string, bool> store{{"a", true}};
  int lookups = 0;
  ClientStatusCache cache(
      [&](const std::string& id) {
        ++lookups;
        return store.count(id) != 0 && store.at(id);
      },
      30'000);
  EXPECT_EQ(cache.is_active("a", 1'000'000), true);
  store["a"] = false;  // revoked in the store
  EXPECT_EQ(cache.is_active("a", 1'029'999), true);
  EXPECT_EQ(lookups, 1);
  EXPECT_EQ(cache.is_active("a", 1'030'000), false);
  EXPECT_EQ(lookups, 2);
  EXPECT_EQ(cache.is_active("unknown", 1'030'000), false);
  // A clock that went backwards does not keep an entry alive.
  EXPECT_EQ(cache.is_active("a", 999'000), false);
  EXPECT_EQ(lookups, 4);
}

TEST(ClientStatusCache, FailsClosedWhenTheStoreCannotBeAsked) {
  bool down = true;
  ClientStatusCache cache(
      [&](const std::string&) -> bool {
        if (down) throw std::runtime_error("database unavailable");
        return true;
      },
      1000);
  EXPECT_EQ(cache.is_active("a", 0), std::nullopt);
  down = false;
  EXPECT_EQ(cache.is_active("a", 0), true);
  down = true;
  EXPECT_EQ(cache.is_active("a", 999), true);             // fresh answer still cached
  EXPECT_EQ(cache.is_active("a", 1000), std::nullopt);    // stale and unaskable: unknown
}

}  // namespace
}  // namespace mdp::auth
