#include "RetryingUpstream.hpp"

#include <algorithm>
#include <condition_variable>
#include <stdexcept>

namespace mdp::net {

namespace {

constexpr std::chrono::milliseconds kPauseSlice{50};  // cancellation is noticed within this

}  // namespace

bool is_retryable_status(std::int32_t status) noexcept {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

std::chrono::milliseconds backoff_bound(const RetryPolicy& policy, int retry) noexcept {
  std::chrono::milliseconds bound = policy.base;
  for (int i = 0; i < retry && bound < policy.cap; ++i) bound *= 2;
  return std::min(bound, policy.cap);
}

RetryingUpstream::RetryingUpstream(domain::UpstreamHttp& inner, RetryPolicy policy,
                                   std::shared_ptr<const Clock> clock, Jitter jitter)
    : inner_(inner),
      policy_(policy),
      clock_(clock ? std::move(clock) : make_system_clock()),
      jitter_(std::move(jitter)),
      budget_(policy_.budget, clock_),
      random_(std::random_device{}()) {
  if (policy_.max_retries < 0) throw std::invalid_argument("RetryPolicy: max_retries must be >= 0");
  if (policy_.base.count() <= 0 || policy_.cap.count() <= 0) {
    throw std::invalid_argument("RetryPolicy: base and cap must be positive");
  }
}

std::chrono::milliseconds RetryingUpstream::draw(std::chrono::milliseconds bound) {
  if (jitter_) return std::clamp(jitter_(bound), std::chrono::milliseconds(0), bound);
  std::lock_guard<std::mutex> lock(random_mutex_);
  std::uniform_int_distribution<std::int64_t> uniform(0, bound.count());
  return std::chrono::milliseconds(uniform(random_));
}

bool RetryingUpstream::pause_for(std::chrono::milliseconds pause, const domain::CallContext& context) const {
  std::mutex mutex;
  std::condition_variable never_notified;
  std::unique_lock<std::mutex> lock(mutex);
  while (pause.count() > 0) {
    if (context.cancelled()) return false;
    const std::chrono::milliseconds slice = std::min(pause, kPauseSlice);
    clock_->wait_for(never_notified, lock, slice);
    pause -= slice;
  }
  return !context.cancelled();
}

domain::UpstreamResult RetryingUpstream::send(const domain::UpstreamRequest& request,
                                              const domain::CallContext& context) {
  budget_.deposit(request.exchange);
  domain::UpstreamResult result = inner_.send(request, context);
  for (int retry = 0; retry < policy_.max_retries; ++retry) {
    if (result.failure != domain::UpstreamFailure::None || !is_retryable_status(result.response.status)) break;
    std::chrono::milliseconds pause = draw(backoff_bound(policy_, retry));
    if (result.response.retry_after_ms >= 0) {
      if (result.response.retry_after_ms > policy_.cap.count()) break;  // longer than we wait for
      pause = std::chrono::milliseconds(result.response.retry_after_ms);
    }
    // No point pausing if the attempt after it could not finish in time anyway.
    if (pause >= context.remaining()) break;
    if (!budget_.try_withdraw(request.exchange)) {
      budget_refusals_.fetch_add(1, std::memory_order_relaxed);
      break;
    }
    if (!pause_for(pause, context)) break;
    retries_.fetch_add(1, std::memory_order_relaxed);
    result = inner_.send(request, context);
  }
  return result;
}

}  // namespace mdp::net
