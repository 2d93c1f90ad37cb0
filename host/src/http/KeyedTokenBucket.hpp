// Token buckets keyed by a string (a client id, a source address), for rate limits that
// must hold per key: the API's per-client limit (RELIABILITY.md H9) and the token
// endpoint's brute-force throttle (J14).
//
// Each key has `burst` units and gets `per_minute` units back per minute, continuously.
// take() spends one unit or says how long until one is back; refund() returns one (the
// token endpoint refunds attempts that turned out legitimate).
//
// Memory is bounded: at most `max_keys` buckets are kept, the least recently used one is
// dropped first. A dropped bucket comes back full, which only matters for a key that was
// idle while `max_keys` others were active. Thread-safe (one mutex; each call is O(1)).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mdp::http {

struct TokenBucketPolicy {
  std::int64_t per_minute = 600;  // units refilled per 60 s; >= 1
  std::int64_t burst = 100;       // bucket capacity; >= 1
};

struct BucketDecision {
  bool allowed = false;
  std::int64_t remaining = 0;      // whole units left after this call
  std::int64_t retry_after_s = 0;  // when refused: seconds until one unit is back (>= 1)
  std::int64_t reset_s = 0;        // seconds until the bucket is full again
};

class KeyedTokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // Throws std::invalid_argument for a policy below 1 unit or max_keys == 0.
  KeyedTokenBucket(TokenBucketPolicy policy, std::size_t max_keys);

  BucketDecision take(std::string_view key, Clock::time_point now);
  // Gives one unit back to `key` (never above burst); no-op for an unknown key.
  void refund(std::string_view key, Clock::time_point now);

  const TokenBucketPolicy& policy() const noexcept { return policy_; }
  std::size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
    std::list<std::string>::iterator recency;
  };

  void refill(Bucket& bucket, Clock::time_point now) const;
  std::int64_t seconds_until(double tokens_needed) const;

  const TokenBucketPolicy policy_;
  const std::size_t max_keys_;
  const double per_second_;
  mutable std::mutex mutex_;
  std::list<std::string> recency_;  // most recent first
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace mdp::http
