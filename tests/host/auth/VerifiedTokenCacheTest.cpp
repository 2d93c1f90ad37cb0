#include <gtest/gtest.h>

#include <string>

#include "VerifiedTokenCache.hpp"

namespace mdp::auth {
namespace {

Principal principal(const std::string& id, std::int64_t exp) {
  Principal p;
  p.client_id = id;
  p.scopes = {"market:read"};
  p.expires_at = exp;
  return p;
}

TEST(VerifiedTokenCache, FindsExactlyTheCachedTokenUntilItsExp) {
  VerifiedTokenCache cache(100);
  cache.insert("token-a", principal("a", 1000), 900);
  ASSERT_TRUE(cache.find("token-a", 999));
  EXPECT_EQ(cache.find("token-a", 999)->client_id, "a");
  EXPECT_FALSE(cache.find("token-a ", 999));
  EXPECT_FALSE(cache.find("token-b", 999));
  // The entry dies at exp and is dropped.
  EXPECT_FALSE(cache.find("token-a", 1000));
  EXPECT_EQ(cache.size(), 0U);
}

TEST(VerifiedTokenCache, NeverStoresAnAlreadyExpiredToken) {
  VerifiedTokenCache cache(100);
  cache.insert("late", principal("a", 1000), 1000);
  EXPECT_EQ(cache.size(), 0U);
}

TEST(VerifiedTokenCache, StaysWithinItsCapAndCountsEvictions) {
  VerifiedTokenCache cache(64);
  for (int i = 0; i < 1000; ++i) cache.insert("token-" + std::to_string(i), principal("c", 5000), 100);
  EXPECT_LE(cache.size(), cache.capacity());
  EXPECT_GE(cache.capacity(), 64U);
  EXPECT_GE(cache.evictions(), 1000U - cache.capacity());
  // A full shard drops its expired entries before it evicts a live one.
  VerifiedTokenCache second(16);
  for (int i = 0; i < 200; ++i) second.insert("old-" + std::to_string(i), principal("o", 200), 100);
  const std::uint64_t before = second.evictions();
  EXPECT_EQ(second.size(), second.capacity());
  second.insert("new", principal("n", 5000), 300);  // every old entry has expired by now
  EXPECT_EQ(second.evictions(), before);
  EXPECT_TRUE(second.find("new", 301));
}

}  // namespace
}  // namespace mdp::auth
