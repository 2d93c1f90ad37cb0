#include "CircuitBreaker.hpp"

#include <stdexcept>

namespace mdp::net {

namespace {

// Retry-After for callers turned away while the half-open probe is still out.
constexpr std::chrono::milliseconds kProbePending{1'000};

}  // namespace

BreakerVerdict breaker_verdict(const domain::UpstreamResult& result, bool caller_out_of_time) noexcept {
  using domain::UpstreamFailure;
  switch (result.failure) {
    case UpstreamFailure::None:
      return result.response.status >= 500 ? BreakerVerdict::Failure : BreakerVerdict::Success;
    case UpstreamFailure::ConnectFailed:
    case UpstreamFailure::ReadFailed:
      return BreakerVerdict::Failure;
    case UpstreamFailure::Timeout:
      return caller_out_of_time ? BreakerVerdict::Neutral : BreakerVerdict::Failure;
    case UpstreamFailure::NotAllowed:
    case UpstreamFailure::TooLarge:
    case UpstreamFailure::Cancelled:
    case UpstreamFailure::RateLimited:
    case UpstreamFailure::CircuitOpen:
      return BreakerVerdict::Neutral;
  }
  return BreakerVerdict::Neutral;
}

CircuitBreaker::CircuitBreaker(domain::UpstreamHttp& inner, BreakerPolicy policy, std::shared_ptr<const Clock> clock)
    : inner_(inner), policy_(policy), clock_(clock ? std::move(clock) : make_system_clock()) {
  if (policy_.failure_threshold < 0) throw std::invalid_argument("BreakerPolicy: failure_threshold must be >= 0");
  if (policy_.cool_down.count() <= 0) throw std::invalid_argument("BreakerPolicy: cool_down must be positive");
}

domain::UpstreamResult CircuitBreaker::send(const domain::UpstreamRequest& request,
                                            const domain::CallContext& context) {
  if (policy_.failure_threshold == 0) return inner_.send(request, context);
  bool probe = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Exchange& e = exchanges_[request.exchange];
    const TimePoint now = clock_->now();
    if (e.state == BreakerState::Open) {
      if (now < e.open_until) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(e.open_until - now);
        return reject(request.exchange, left);
      }
      e.state = BreakerState::HalfOpen;
    }
    if (e.state == BreakerState::HalfOpen) {
      if (e.probe_in_flight) return reject(request.exchange, kProbePending);
      e.probe_in_flight = true;
      probe = true;
    }
  }
  domain::UpstreamResult result;
  try {
    result = inner_.send(request, context);
  } catch (...) {
    record(request.exchange, BreakerVerdict::Neutral, probe);
    throw;
  }
  record(request.exchange, breaker_verdict(result, context.remaining().count() <= 0), probe);
  return result;
}

domain::UpstreamResult CircuitBreaker::reject(const std::string& exchange, std::chrono::milliseconds retry_after) {
  rejected_.fetch_add(1, std::memory_order_relaxed);
  domain::UpstreamResult result;
  result.failure = domain::UpstreamFailure::CircuitOpen;
  result.retry_after_ms = retry_after.count();
  result.message = "circuit breaker open for " + exchange + " after " + std::to_string(policy_.failure_threshold) +
                   " consecutive upstream failures; next attempt in " + std::to_string(retry_after.count()) + " ms";
  return result;
}

void CircuitBreaker::record(const std::string& exchange, BreakerVerdict verdict, bool probe) {
  std::lock_guard<std::mutex> lock(mutex_);
  Exchange& e = exchanges_[exchange];
  if (probe) e.probe_in_flight = false;
  switch (verdict) {
    case BreakerVerdict::Success:
      e.state = BreakerState::Closed;
      e.failures = 0;
      break;
    case BreakerVerdict::Failure: {
      const bool trips = (e.state == BreakerState::HalfOpen && probe) ||
                         (e.state == BreakerState::Closed && ++e.failures >= policy_.failure_threshold);
      if (trips) {
        e.state = BreakerState::Open;
        e.failures = 0;
        e.open_until = clock_->now() + policy_.cool_down;
      }
      break;
    }
    case BreakerVerdict::Neutral:
      break;
  }
}

BreakerState CircuitBreaker::state(const std::string& exchange) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = exchanges_.find(exchange);
  if (it == exchanges_.end()) return BreakerState::Closed;
  if (it->second.state == BreakerState::Open && clock_->now() >= it->second.open_until) return BreakerState::HalfOpen;
  return it->second.state;
}

}  // namespace mdp::net
