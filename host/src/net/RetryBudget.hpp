// Process-wide retry budget per exchange (RELIABILITY.md U5), so that an outage does not
// multiply upstream traffic by the retry count. A token bucket per exchange: every call
// (its first attempt) deposits `fraction` of a token, the bucket also refills at
// `min_per_second` (the floor that lets a quiet host still retry), and holds at most
// `max_tokens`; each retry withdraws one whole token and is refused when there is none.
// Over any period, retries <= fraction * calls + min_per_second * seconds + max_tokens.
// Thread-safe; time comes only from the injected Clock.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "Clock.hpp"

namespace mdp::net {

struct RetryBudgetConfig {
  double fraction = 0.1;        // retries earned per call
  double min_per_second = 1.0;  // retries earned per second regardless of traffic
  double max_tokens = 10.0;     // burst: the bucket starts full and never holds more
};

class RetryBudget {
 public:
  // Throws std::invalid_argument for negative figures or max_tokens < 1.
  RetryBudget(RetryBudgetConfig config, std::shared_ptr<const Clock> clock);
  RetryBudget(const RetryBudget&) = delete;
  RetryBudget& operator=(const RetryBudget&) = delete;

  // A call's first attempt to `exchange`.
  void deposit(const std::string& exchange);
  // True (and one token spent) when `exchange` may be retried now.
  bool try_withdraw(const std::string& exchange);
  // Tokens available now (for tests and reports).
  double tokens(const std::string& exchange) const;

  const RetryBudgetConfig& config() const noexcept { return config_; }

 private:
  struct Bucket {
    double tokens = 0;
    Clock::Steady::time_point refilled{};
  };
  Bucket& bucket_locked(const std::string& exchange) const;

  const RetryBudgetConfig config_;
  const std::shared_ptr<const Clock> clock_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Bucket> buckets_;  // by plugin id
};

}  // namespace mdp::net
