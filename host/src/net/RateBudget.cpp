#include "RateBudget.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace mdp::net {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

std::int64_t us_between(Clock::Steady::time_point from, Clock::Steady::time_point to) noexcept {
  return to > from ? duration_cast<microseconds>(to - from).count() : 0;
}

std::int64_t ms_ceil(std::int64_t us) noexcept { return us <= 0 ? 0 : (us + 999) / 1000; }

std::int64_t scaled_capacity(std::int64_t weight_per_window, double fraction) {
  if (weight_per_window <= 0) return 0;
  const double scaled = std::floor(static_cast<double>(weight_per_window) * fraction);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(scaled));
}

BudgetDecision make_decision(BudgetOutcome outcome, std::int64_t retry_after_ms, std::string message) {
  BudgetDecision decision;
  decision.outcome = outcome;
  decision.retry_after_ms = retry_after_ms;
  decision.message = std::move(message);
  return decision;
}

}  // namespace

RateBudget::RateBudget(RateBudgetConfig config, std::shared_ptr<const Clock> clock)
    : config_(std::move(config)),
      clock_(clock ? std::move(clock) : make_system_clock()),
      window_us_(duration_cast<microseconds>(config_.window).count()) {
  if (config_.weight_per_window < 0) throw std::invalid_argument("rate budget: negative weight_per_window");
  if (window_us_ <= 0) throw std::invalid_argument("rate budget: window must be positive");
  if (!(config_.safety_fraction > 0.0 && config_.safety_fraction <= 1.0)) {
    throw std::invalid_argument("rate budget: safety_fraction must be in (0, 1]");
  }
  // Keep weight * window_us far from int64 overflow (2400/min uses ~1.4e11).
  if (config_.weight_per_window > 0 && config_.weight_per_window > 1'000'000'000'000'000LL / window_us_) {
    throw std::invalid_argument("rate budget: weight_per_window * window too large");
  }
  if (config_.wait_slice.count() <= 0) throw std::invalid_argument("rate budget: wait_slice must be positive");
  capacity_ = scaled_capacity(config_.weight_per_window, config_.safety_fraction);
  tokens_units_ = capacity_ * window_us_;
  last_refill_ = clock_->now();
}

RateBudget::TimePoint RateBudget::gate_locked() const noexcept { return std::max(paused_until_, banned_until_); }

void RateBudget::refill_locked(TimePoint now) {
  if (capacity_ == 0) {
    last_refill_ = now;
    return;
  }
  TimePoint from = std::max(last_refill_, gate_locked());  // no refill while paused or banned
  if (frozen_until_ != TimePoint{}) {
    if (now < frozen_until_) {
      last_refill_ = now;
      return;
    }
    // The exchange's fixed window rolled over: its count is back to zero.
    tokens_units_ = std::max<std::int64_t>(0, capacity_ - in_flight_) * window_us_;
    from = std::max(from, frozen_until_);
    frozen_until_ = TimePoint{};
    adopted_window_ = -1;
    adopted_used_ = -1;
  }
  const std::int64_t max_units = capacity_ * window_us_;
  const std::int64_t elapsed = us_between(from, now);
  if (elapsed > 0 && tokens_units_ < max_units) {
    // elapsed * capacity can overflow only for absurd gaps; clamp the gap to one window.
    const std::int64_t gained = std::min(elapsed, window_us_ * 2) * capacity_;
    tokens_units_ = std::min(max_units, tokens_units_ + gained);
  }
  last_refill_ = now;
}

std::int64_t RateBudget::wait_ms_locked(std::int64_t need_weight, TimePoint now) const {
  const TimePoint gate = std::max(now, gate_locked());
  const std::int64_t gate_us = us_between(now, gate);
  if (capacity_ == 0) return ms_ceil(gate_us);
  const std::int64_t need_units = need_weight * window_us_;
  if (frozen_until_ != TimePoint{} && now < frozen_until_ && tokens_units_ < need_units) {
    // Nothing refills before the window boundary; then the bucket restarts full.
    const TimePoint start = std::max(frozen_until_, gate);
    const std::int64_t after_reset = std::max<std::int64_t>(0, capacity_ - in_flight_) * window_us_;
    const std::int64_t deficit = need_units - after_reset;
    const std::int64_t refill_us = deficit > 0 ? (deficit + capacity_ - 1) / capacity_ : 0;
    return ms_ceil(us_between(now, start) + refill_us);
  }
  const std::int64_t deficit = need_units - tokens_units_;
  const std::int64_t refill_us = deficit > 0 ? (deficit + capacity_ - 1) / capacity_ : 0;
  return ms_ceil(gate_us + refill_us);
}

void RateBudget::remove_waiter_locked(std::uint64_t ticket) {
  const auto it = std::find_if(queue_.begin(), queue_.end(), [&](const Waiter& w) { return w.ticket == ticket; });
  if (it != queue_.end()) queue_.erase(it);
  changed_.notify_all();
}

BudgetDecision RateBudget::acquire(std::int32_t weight, const domain::CallContext& context) {
  if (weight < 0) return make_decision(BudgetOutcome::Invalid, -1, "negative request weight");
  std::unique_lock<std::mutex> lock(mutex_);
  if (capacity_ > 0 && weight > capacity_) {
    return make_decision(BudgetOutcome::Invalid, -1,
                         "request weight " + std::to_string(weight) + " exceeds the budget of " +
                             std::to_string(capacity_) + " per window");
  }
  const std::uint64_t ticket = next_ticket_++;
  queue_.push_back(Waiter{ticket, weight});

  for (;;) {
    const TimePoint now = clock_->now();
    if (now < banned_until_) {
      remove_waiter_locked(ticket);
      return make_decision(BudgetOutcome::Banned, ms_ceil(us_between(now, banned_until_)),
                           "exchange ban in effect (HTTP 418)");
    }
    refill_locked(now);

    std::int64_t need = 0;  // my weight plus everyone ahead of me
    for (const Waiter& w : queue_) {
      need += w.weight;
      if (w.ticket == ticket) break;
    }
    const bool head = queue_.front().ticket == ticket;
    const bool probe_blocked = probe_required_ && probe_in_flight_;
    const bool gated = now < gate_locked();
    const bool fits = capacity_ == 0 || tokens_units_ >= static_cast<std::int64_t>(weight) * window_us_;

    if (head && !probe_blocked && !gated && fits) {
      queue_.pop_front();
      tokens_units_ -= static_cast<std::int64_t>(weight) * window_us_;
      in_flight_ += weight;
      BudgetDecision decision;
      decision.outcome = BudgetOutcome::Granted;
      decision.grant.weight = weight;
      if (probe_required_) {
        decision.grant.probe = true;
        probe_in_flight_ = true;
      }
      changed_.notify_all();
      return decision;
    }

    // -1: unknown (waiting for the post-ban probe to answer).
    const std::int64_t wait = probe_blocked ? -1 : wait_ms_locked(need, now);
    const std::int64_t remaining = context.remaining().count();
    if (wait > remaining || (wait < 0 && remaining <= 0)) {
      remove_waiter_locked(ticket);
      const std::int64_t retry = wait >= 0 ? wait : config_.wait_slice.count();
      return make_decision(BudgetOutcome::RateLimited, std::max<std::int64_t>(retry, 1),
                           gated ? "exchange budget paused after HTTP 429"
                                 : "exchange rate budget exhausted before the deadline");
    }
    if (context.cancelled()) {
      remove_waiter_locked(ticket);
      if (context.expired()) {
        return make_decision(BudgetOutcome::RateLimited, std::max<std::int64_t>(wait, 1),
                             "deadline passed while waiting for the rate budget");
      }
      return make_decision(BudgetOutcome::Cancelled, -1, "cancelled while waiting for the rate budget");
    }
    const std::int64_t slice = config_.wait_slice.count();
    const std::int64_t sleep_ms = wait <= 0 ? std::min<std::int64_t>(slice, 1) : std::min(wait, slice);
    clock_->wait_for(changed_, lock, milliseconds(std::max<std::int64_t>(sleep_ms, 1)));
  }
}

BudgetDecision RateBudget::check_ban() const {
  std::lock_guard<std::mutex> lock(mutex_);
  const TimePoint now = clock_->now();
  if (now < banned_until_) {
    return make_decision(BudgetOutcome::Banned, ms_ceil(us_between(now, banned_until_)),
                         "exchange ban in effect (HTTP 418)");
  }
  return BudgetDecision{};
}

void RateBudget::finish(const BudgetGrant& grant, const UpstreamObservation& observation) {
  std::lock_guard<std::mutex> lock(mutex_);
  const TimePoint now = clock_->now();
  in_flight_ = std::max<std::int64_t>(0, in_flight_ - grant.weight);
  refill_locked(now);
  const std::int64_t max_units = capacity_ * window_us_;
  if (!observation.reached_exchange) {
    tokens_units_ = std::min(max_units, tokens_units_ + static_cast<std::int64_t>(grant.weight) * window_us_);
  }

  auto bounded = [&](std::int64_t retry_ms, milliseconds fallback) {
    const std::int64_t ms = retry_ms >= 0 ? retry_ms : fallback.count();
    return now + milliseconds(std::min<std::int64_t>(ms, config_.max_pause.count()));
  };
  if (observation.status == 418) {
    banned_until_ = std::max(banned_until_, bounded(observation.retry_after_ms, config_.default_ban));
    tokens_units_ = std::min<std::int64_t>(tokens_units_, 0);
    probe_required_ = true;
    probe_in_flight_ = false;
  } else if (observation.status == 429) {
    paused_until_ = std::max(paused_until_, bounded(observation.retry_after_ms, config_.default_429_pause));
    tokens_units_ = std::min<std::int64_t>(tokens_units_, 0);
    if (grant.probe) probe_in_flight_ = false;  // still required: the next request probes again
  } else if (grant.probe) {
    // The probe got through (or never reached the exchange): back to normal, or probe again.
    probe_in_flight_ = false;
    if (observation.reached_exchange && observation.status != 0) probe_required_ = false;
  }

  if (observation.used_weight && capacity_ > 0 && observation.status != 418) {
    const std::int64_t used = std::max<std::int64_t>(0, *observation.used_weight);
    bool adopt = true;
    if (config_.window_aligned) {
      const std::int64_t window_ms = window_us_ / 1000;
      const std::int64_t wall = clock_->unix_ms();
      const std::int64_t index = wall >= 0 ? wall / window_ms : -1;
      if (window_ms > 0 && index >= 0) {
        if (index == adopted_window_ && used <= adopted_used_) {
          adopt = false;  // an older answer arriving late: the exchange's count only grows
        } else {
          adopted_window_ = index;
          adopted_used_ = used;
          frozen_until_ = now + milliseconds((index + 1) * window_ms - wall);
        }
      }
    }
    if (adopt) {
      const std::int64_t available = capacity_ - used - in_flight_;
      tokens_units_ = std::clamp<std::int64_t>(available * window_us_, -max_units, max_units);
    }
  }
  changed_.notify_all();
}

void RateBudget::set_weight_per_window(std::int64_t weight_per_window) {
  if (weight_per_window < 0) return;
  if (weight_per_window > 1'000'000'000'000'000LL / window_us_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  refill_locked(clock_->now());
  const std::int64_t old_capacity = capacity_;
  capacity_ = scaled_capacity(weight_per_window, config_.safety_fraction);
  if (old_capacity == 0) {
    tokens_units_ = capacity_ * window_us_;
  } else {
    tokens_units_ = std::min(tokens_units_ + (capacity_ - old_capacity) * window_us_, capacity_ * window_us_);
  }
  changed_.notify_all();
}

BudgetSnapshot RateBudget::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  const TimePoint now = clock_->now();
  // A const view: compute the refill a refill_locked() call would apply, without mutating.
  BudgetSnapshot snap;
  snap.capacity = capacity_;
  std::int64_t units = tokens_units_;
  if (capacity_ > 0) {
    TimePoint from = std::max(last_refill_, gate_locked());
    if (frozen_until_ != TimePoint{}) {
      if (now >= frozen_until_) {
        units = std::max<std::int64_t>(0, capacity_ - in_flight_) * window_us_;
        from = std::max(from, frozen_until_);
        units = std::min(capacity_ * window_us_, units + std::min(us_between(from, now), window_us_ * 2) * capacity_);
      }
    } else {
      units = std::min(capacity_ * window_us_, units + std::min(us_between(from, now), window_us_ * 2) * capacity_);
    }
  }
  snap.tokens = static_cast<double>(units) / static_cast<double>(window_us_);
  snap.in_flight = in_flight_;
  snap.paused_ms = ms_ceil(us_between(now, paused_until_));
  snap.banned_ms = ms_ceil(us_between(now, banned_until_));
  snap.frozen_ms = frozen_until_ == TimePoint{} ? 0 : ms_ceil(us_between(now, frozen_until_));
  snap.waiting = static_cast<std::int64_t>(queue_.size());
  return snap;
}

}  // namespace mdp::net
