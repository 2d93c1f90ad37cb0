#include "RetryBudget.hpp"

#include <algorithm>
#include <stdexcept>

namespace mdp::net {

namespace {

constexpr double kRounding = 1e-9;  // ten deposits of 0.1 make one whole token

}  // namespace

RetryBudget::RetryBudget(RetryBudgetConfig config, std::shared_ptr<const Clock> clock)
    : config_(config), clock_(clock ? std::move(clock) : make_system_clock()) {
  if (!(config_.fraction >= 0.0) || !(config_.min_per_second >= 0.0) || !(config_.max_tokens >= 1.0)) {
    throw std::invalid_argument("RetryBudgetConfig: fraction and min_per_second must be >= 0, max_tokens >= 1");
  }
}

RetryBudget::Bucket& RetryBudget::bucket_locked(const std::string& exchange) const {
  const Clock::Steady::time_point now = clock_->now();
  auto [it, created] = buckets_.try_emplace(exchange);
  Bucket& bucket = it->second;
  if (created) {
    bucket.tokens = config_.max_tokens;
  } else if (now > bucket.refilled) {
    const double seconds = std::chrono::duration<double>(now - bucket.refilled).count();
    bucket.tokens = std::min(config_.max_tokens, bucket.tokens + seconds * config_.min_per_second);
  }
  bucket.refilled = now;
  return bucket;
}

void RetryBudget::deposit(const std::string& exchange) {
  std::lock_guard<std::mutex> lock(mutex_);
  Bucket& bucket = bucket_locked(exchange);
  bucket.tokens = std::min(config_.max_tokens, bucket.tokens + config_.fraction);
}

bool RetryBudget::try_withdraw(const std::string& exchange) {
  std::lock_guard<std::mutex> lock(mutex_);
  Bucket& bucket = bucket_locked(exchange);
  if (bucket.tokens + kRounding < 1.0) return false;
  bucket.tokens = std::max(0.0, bucket.tokens - 1.0);
  return true;
}

double RetryBudget::tokens(const std::string& exchange) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bucket_locked(exchange).tokens;
}

}  // namespace mdp::net
