// One exchange's request-weight budget, shared by every caller in the process (API handlers
// and the syncer alike) through the one HttpTransport that owns it.
//
// Model: a token bucket holding `weight_per_window * safety_fraction` weight that refills
// continuously over `window`. On top of that:
//  - an upstream 429 pauses the budget until its Retry-After (or `default_429_pause`);
//  - an upstream 418 bans it for Retry-After (or `default_ban`): every acquire fails fast;
//  - where the exchange reports the weight it has counted (Binance `X-MBX-USED-WEIGHT-1M`),
//    the bucket adopts that figure: tokens = capacity - used - (our other requests in
//    flight). With `window_aligned`, the exchange's window is a fixed UTC window (Binance
//    resets at each minute), so after adopting, refill stops until the window boundary and
//    then the bucket is full again. That keeps a bursty minute from overshooting the
//    exchange's fixed-window counter, which a plain continuous bucket would do.
// Waiters are served first-come first-served. A request waits only as long as its
// CallContext allows; if the estimated wait is longer it fails at once with RateLimited and
// the estimate as retry_after_ms.
// Thread-safe. Time comes only from the injected Clock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "CallContext.hpp"
#include "Clock.hpp"

namespace mdp::net {

struct RateBudgetConfig {
  // The exchange's published weight limit per window (e.g. Binance REQUEST_WEIGHT 2400/min,
  // Hyperliquid 1200/min, Coinbase 10/s). 0 = no budget (429/418 handling still applies).
  std::int64_t weight_per_window = 0;
  std::chrono::milliseconds window{60'000};
  // Share of the published limit we plan to use; the rest is headroom for other clients
  // behind our IP, clock skew and in-flight requests.
  double safety_fraction = 0.8;
  // Lower-case response header that carries the exchange's used weight for the current
  // window (e.g. "x-mbx-used-weight-1m"); empty when the exchange sends none.
  std::string used_weight_header;
  // The exchange counts in fixed UTC windows (multiples of `window` since the epoch).
  bool window_aligned = true;
  // Pause after a 429 that carries no Retry-After.
  std::chrono::milliseconds default_429_pause{5'000};
  // Ban after a 418 that carries no Retry-After (Binance's shortest ban is 2 minutes).
  std::chrono::milliseconds default_ban{120'000};
  // Upper bound for any pause or ban taken from a Retry-After (Binance: up to 3 days).
  std::chrono::milliseconds max_pause{std::chrono::hours(72)};
  // Longest single sleep while waiting, so cancellation is noticed promptly.
  std::chrono::milliseconds wait_slice{50};
};

enum class BudgetOutcome {
  Granted,
  RateLimited,  // does not fit before the caller's deadline, or paused after a 429
  Banned,       // suspended after a 418: fails fast
  Cancelled,    // the CallContext was cancelled while waiting
  Invalid,      // weight < 0 or larger than the whole budget
};

// Handed out with a Granted decision and given back to finish().
struct BudgetGrant {
  std::int32_t weight = 0;
  bool probe = false;  // the first request after a 418 ban: others wait for its answer
};

struct BudgetDecision {
  BudgetOutcome outcome = BudgetOutcome::Granted;
  BudgetGrant grant;                 // valid when granted()
  std::int64_t retry_after_ms = -1;  // for RateLimited/Banned: when it may fit again
  std::string message;               // short, for logs
  bool granted() const noexcept { return outcome == BudgetOutcome::Granted; }
};

// What happened to a granted request, reported back through finish().
struct UpstreamObservation {
  bool reached_exchange = true;  // false: nothing was sent (connect failed), weight refunded
  std::int32_t status = 0;       // HTTP status, 0 when no response
  std::int64_t retry_after_ms = -1;
  std::optional<std::int64_t> used_weight;  // the exchange's figure for its current window
};

struct BudgetSnapshot {
  std::int64_t capacity = 0;     // weight_per_window * safety_fraction
  double tokens = 0;             // weight available now (may be negative after adoption)
  std::int64_t in_flight = 0;    // weight granted and not yet finished
  std::int64_t paused_ms = 0;    // remaining 429 pause
  std::int64_t banned_ms = 0;    // remaining 418 ban
  std::int64_t frozen_ms = 0;    // time until the adopted window resets
  std::int64_t waiting = 0;      // callers queued
};

class RateBudget {
 public:
  RateBudget(RateBudgetConfig config, std::shared_ptr<const Clock> clock);
  RateBudget(const RateBudget&) = delete;
  RateBudget& operator=(const RateBudget&) = delete;

  // Takes `weight` from the budget, waiting (in FIFO order) up to the context's deadline.
  // Every Granted decision must be followed by exactly one finish(decision.grant, ...).
  BudgetDecision acquire(std::int32_t weight, const domain::CallContext& context);
  // Non-blocking: Banned while a 418 ban lasts, Granted (with no grant) otherwise.
  BudgetDecision check_ban() const;
  void finish(const BudgetGrant& grant, const UpstreamObservation& observation);

  // The exchange's limit changed (e.g. read from exchangeInfo.rateLimits).
  void set_weight_per_window(std::int64_t weight_per_window);

  const RateBudgetConfig& config() const noexcept { return config_; }
  BudgetSnapshot snapshot() const;

 private:
  using TimePoint = Clock::Steady::time_point;
  struct Waiter {
    std::uint64_t ticket;
    std::int64_t weight;
  };

  // Token arithmetic is exact: "units" are weight * window_us; refill adds capacity units/us.
  void refill_locked(TimePoint now);
  std::int64_t wait_ms_locked(std::int64_t need_weight, TimePoint now) const;
  void remove_waiter_locked(std::uint64_t ticket);
  TimePoint gate_locked() const noexcept;

  const RateBudgetConfig config_;
  const std::shared_ptr<const Clock> clock_;
  const std::int64_t window_us_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::int64_t capacity_ = 0;       // weight
  std::int64_t tokens_units_ = 0;   // weight * window_us
  TimePoint last_refill_{};
  TimePoint paused_until_{};
  TimePoint banned_until_{};
  TimePoint frozen_until_{};        // adopted fixed window: no refill before this
  std::int64_t adopted_window_ = -1;  // index (unix_ms / window) of the adopted window
  std::int64_t adopted_used_ = -1;    // highest used weight adopted in that window
  bool probe_required_ = false;       // a 418 ban was seen: the next grant is a lone probe
  bool probe_in_flight_ = false;
  std::int64_t in_flight_ = 0;
  std::uint64_t next_ticket_ = 1;
  std::deque<Waiter> queue_;
};

}  // namespace mdp::net
