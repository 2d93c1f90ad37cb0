#include "KeyedTokenBucket.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mdp::http {

KeyedTokenBucket::KeyedTokenBucket(TokenBucketPolicy policy, std::size_t max_keys)
    : policy_(policy), max_keys_(max_keys), per_second_(static_cast<double>(policy.per_minute) / 60.0) {
  if (policy.per_minute < 1 || policy.burst < 1) throw std::invalid_argument("token bucket needs per_minute and burst >= 1");
  if (max_keys == 0) throw std::invalid_argument("token bucket needs max_keys >= 1");
}

void KeyedTokenBucket::refill(Bucket& bucket, Clock::time_point now) const {
  if (now <= bucket.updated) return;
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(static_cast<double>(policy_.burst), bucket.tokens + elapsed * per_second_);
  bucket.updated = now;
}

std::int64_t KeyedTokenBucket::seconds_until(double tokens_needed) const {
  if (tokens_needed <= 0) return 0;
  // Rounded up: a client that waits this long finds the unit there.
  return static_cast<std::int64_t>(std::ceil(tokens_needed / per_second_ - 1e-9));
}

BucketDecision KeyedTokenBucket::take(std::string_view key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string name(key);
  auto found = buckets_.find(name);
  if (found == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      buckets_.erase(recency_.back());
      recency_.pop_back();
    }
    recency_.push_front(name);
    Bucket fresh;
    fresh.tokens = static_cast<double>(policy_.burst);
    fresh.updated = now;
    fresh.recency = recency_.begin();
    found = buckets_.emplace(std::move(name), fresh).first;
  } else {
    recency_.splice(recency_.begin(), recency_, found->second.recency);
    refill(found->second, now);
  }

  Bucket& bucket = found->second;
  BucketDecision decision;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    decision.allowed = true;
  } else {
    decision.retry_after_s = std::max<std::int64_t>(1, seconds_until(1.0 - bucket.tokens));
  }
  decision.remaining = static_cast<std::int64_t>(std::floor(bucket.tokens));
  decision.reset_s = seconds_until(static_cast<double>(policy_.burst) - bucket.tokens);
  return decision;
}

void KeyedTokenBucket::refund(std::string_view key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = buckets_.find(std::string(key));
  if (found == buckets_.end()) return;
  refill(found->second, now);
  found->second.tokens = std::min(static_cast<double>(policy_.burst), found->second.tokens + 1.0);
}

std::size_t KeyedTokenBucket::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return buckets_.size();
}

}  // namespace mdp::http
