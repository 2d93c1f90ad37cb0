// The limiter behind the per-client rate limit and the token endpoint's throttle, driven
// with explicit time points (no sleeping).
#include <gtest/gtest.h>

#include "KeyedTokenBucket.hpp"

namespace mdp::http {
namespace {

using namespace std::chrono_literals;
using Clock = KeyedTokenBucket::Clock;

TEST(KeyedTokenBucket, SpendsTheBurstThenRefillsAtTheRate) {
  KeyedTokenBucket bucket({60, 3}, 100);  // one unit per second, three at once
  const Clock::time_point t0 = Clock::now();
  for (int i = 2; i >= 0; --i) {
    const BucketDecision d = bucket.take("client", t0);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, i);
  }
  const BucketDecision refused = bucket.take("client", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after_s, 1);
  EXPECT_EQ(refused.reset_s, 3);
  EXPECT_FALSE(bucket.take("client", t0 + 999ms).allowed);
  EXPECT_TRUE(bucket.take("client", t0 + 2000ms).allowed);
  // Independent keys.
  EXPECT_TRUE(bucket.take("other", t0).allowed);
}

TEST(KeyedTokenBucket, RetryAfterIsRoundedUpAndAtLeastOneSecond) {
  KeyedTokenBucket slow({20, 1}, 10);  // one unit per 3 s
  const Clock::time_point t0 = Clock::now();
  EXPECT_TRUE(slow.take("k", t0).allowed);
  EXPECT_EQ(slow.take("k", t0).retry_after_s, 3);
  EXPECT_EQ(slow.take("k", t0 + 2500ms).retry_after_s, 1);
  KeyedTokenBucket fast({6000, 1}, 10);  // 100 per second
  EXPECT_TRUE(fast.take("k", t0).allowed);
  EXPECT_EQ(fast.take("k", t0).retry_after_s, 1);
}

TEST(KeyedTokenBucket, RefundGivesAUnitBackButNeverAboveTheBurst) {
  KeyedTokenBucket bucket({1, 2}, 10);
  const Clock::time_point t0 = Clock::now();
  EXPECT_TRUE(bucket.take("k", t0).allowed);
  EXPECT_TRUE(bucket.take("k", t0).allowed);
  EXPECT_FALSE(bucket.take("k", t0).allowed);
  bucket.refund("k", t0);
  EXPECT_TRUE(bucket.take("k", t0).allowed);
  bucket.refund("k", t0);
  bucket.refund("k", t0);
  bucket.refund("k", t0);
  EXPECT_EQ(bucket.take("k", t0).remaining, 1);
  bucket.refund("unknown", t0);
  EXPECT_EQ(bucket.size(), 1U);
}

TEST(KeyedTokenBucket, KeepsAtMostMaxKeysDroppingTheLeastRecentlyUsed) {
  KeyedTokenBucket bucket({1, 1}, 3);
  const Clock::time_point t0 = Clock::now();
  for (const char* key : {"a", "b", "c"}) EXPECT_TRUE(bucket.take(key, t0).allowed);
  EXPECT_FALSE(bucket.take("a", t0).allowed);  // a is now the most recent
  EXPECT_TRUE(bucket.take("d", t0).allowed);   // evicts b
  EXPECT_EQ(bucket.size(), 3U);
  EXPECT_FALSE(bucket.take("a", t0).allowed);  // kept, still empty
  EXPECT_FALSE(bucket.take("c", t0).allowed);  // kept
  EXPECT_TRUE(bucket.take("b", t0).allowed);   // evicted: comes back full
  EXPECT_THROW(KeyedTokenBucket({0, 1}, 1), std::invalid_argument);
  EXPECT_THROW(KeyedTokenBucket({1, 1}, 0), std::invalid_argument);
}

}  // namespace
}  // namespace mdp::http
