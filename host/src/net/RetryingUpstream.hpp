// Bounded retries of upstream 5xx answers, the one retry layer of the host (RELIABILITY.md
// U4/U5; plugins never retry). Wraps the transport: a 500, 502, 503 or 504 response is sent
// again at most `max_retries` times, after a "full jitter" pause drawn uniformly from
// [0, min(cap, base·2^k)] for the k-th retry (AWS, "Exponential Backoff and Jitter"). A retry
// happens only while the caller's context has time for the pause and is not cancelled; a
// Retry-After on the 5xx replaces the drawn pause when it fits under the cap, otherwise the
// answer is returned as is. Everything else (2xx–4xx, 429/418 which feed the rate budget,
// transport failures) is returned at once. Every attempt goes through the transport, so each
// one is allowlisted, deadline-bounded and charged to the exchange's rate budget. Retries
// also draw on a per-exchange RetryBudget shared by every caller (U5): during an outage they
// stay a small fraction of the calls instead of tripling upstream traffic.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>

#include "Clock.hpp"
#include "RetryBudget.hpp"
#include "UpstreamHttp.hpp"

namespace mdp::net {

struct RetryPolicy {
  int max_retries = 2;  // attempts after the first; 0 disables retries
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds cap{1'000};
  RetryBudgetConfig budget;  // process-wide per exchange
};

// True for the statuses worth another attempt: 500, 502, 503, 504.
bool is_retryable_status(std::int32_t status) noexcept;

// min(cap, base·2^retry) for the retry-th retry (0-based).
std::chrono::milliseconds backoff_bound(const RetryPolicy& policy, int retry) noexcept;

class RetryingUpstream final : public domain::UpstreamHttp {
 public:
  // Draws a pause in [0, bound]; the default is a std::mt19937_64 seeded from
  // std::random_device, so concurrent callers do not retry in lockstep.
  using Jitter = std::function<std::chrono::milliseconds(std::chrono::milliseconds bound)>;

  // Throws std::invalid_argument for a negative retry count or non-positive base/cap.
  RetryingUpstream(domain::UpstreamHttp& inner, RetryPolicy policy, std::shared_ptr<const Clock> clock = nullptr,
                   Jitter jitter = {});

  domain::UpstreamResult send(const domain::UpstreamRequest& request, const domain::CallContext& context) override;

  const RetryPolicy& policy() const noexcept { return policy_; }
  std::uint64_t retries() const noexcept { return retries_.load(std::memory_order_relaxed); }
  // Retries not made because the exchange's retry budget was spent.
  std::uint64_t budget_refusals() const noexcept { return budget_refusals_.load(std::memory_order_relaxed); }
  const RetryBudget& budget() const noexcept { return budget_; }

 private:
  std::chrono::milliseconds draw(std::chrono::milliseconds bound);
  // Waits `pause` in short slices; false when the context was cancelled meanwhile.
  bool pause_for(std::chrono::milliseconds pause, const domain::CallContext& context) const;

  domain::UpstreamHttp& inner_;
  RetryPolicy policy_;
  std::shared_ptr<const Clock> clock_;
  Jitter jitter_;
  RetryBudget budget_;
  std::mutex random_mutex_;
  std::mt19937_64 random_;
  std::atomic<std::uint64_t> retries_{0};
  std::atomic<std::uint64_t> budget_refusals_{0};
};

}  // namespace mdp::net
