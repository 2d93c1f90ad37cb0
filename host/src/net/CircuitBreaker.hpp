// Per-exchange circuit breaker (RELIABILITY.md U11), a wrapper around the transport shared by
// every caller in the process (API handlers and the syncer alike). After
// `failure_threshold` consecutive upstream failures of one exchange (transport errors,
// timeouts of the upstream's own deadline, 5xx answers) the breaker opens for `cool_down`:
// sends to that exchange then fail fast with UpstreamFailure::CircuitOpen and the remaining
// cool-down as retry_after_ms, without touching the network. After the cool-down it is
// half-open: one probe goes through (others still fail fast); its success closes the
// breaker, its failure opens it again. 2xx-4xx answers (including 429/418, which the rate
// budget handles) count as success; refusals that never reached the exchange (allowlist,
// rate budget, cancellation, the caller's own deadline) count as neither. Other exchanges
// are unaffected. Thread-safe; time comes only from the injected Clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "Clock.hpp"
#include "UpstreamHttp.hpp"

namespace mdp::net {

struct BreakerPolicy {
  int failure_threshold = 5;  // consecutive failures that open the breaker; 0 disables it
  std::chrono::milliseconds cool_down{10'000};
};

enum class BreakerState { Closed, Open, HalfOpen };

// How one result counts for the breaker.
enum class BreakerVerdict { Success, Failure, Neutral };

// `caller_out_of_time`: the caller's own deadline had passed, so a Timeout says nothing
// about the exchange.
BreakerVerdict breaker_verdict(const domain::UpstreamResult& result, bool caller_out_of_time) noexcept;

class CircuitBreaker final : public domain::UpstreamHttp {
 public:
  // Throws std::invalid_argument for a negative threshold or a non-positive cool-down.
  CircuitBreaker(domain::UpstreamHttp& inner, BreakerPolicy policy, std::shared_ptr<const Clock> clock = nullptr);

  domain::UpstreamResult send(const domain::UpstreamRequest& request, const domain::CallContext& context) override;

  BreakerState state(const std::string& exchange) const;
  const BreakerPolicy& policy() const noexcept { return policy_; }
  // Sends refused without touching the network, over all exchanges.
  std::uint64_t rejected() const noexcept { return rejected_.load(std::memory_order_relaxed); }

 private:
  using TimePoint = Clock::Steady::time_point;
  struct Exchange {
    BreakerState state = BreakerState::Closed;
    int failures = 0;  // consecutive, while closed
    TimePoint open_until{};
    bool probe_in_flight = false;
  };

  domain::UpstreamResult reject(const std::string& exchange, std::chrono::milliseconds retry_after);
  void record(const std::string& exchange, BreakerVerdict verdict, bool probe);

  domain::UpstreamHttp& inner_;
  const BreakerPolicy policy_;
  const std::shared_ptr<const Clock> clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Exchange> exchanges_;  // by plugin id; bounded by the configured exchanges
  std::atomic<std::uint64_t> rejected_{0};
};

}  // namespace mdp::net
