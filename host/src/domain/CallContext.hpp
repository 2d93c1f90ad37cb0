// Deadline and cancellation for one unit of work (an API request, a sync run). Passed by
// reference down the layers; the plugin sees it as its mdp_call.
#pragma once

#include <atomic>
#include <chrono>

namespace mdp::domain {

class CallContext {
 public:
  using Clock = std::chrono::steady_clock;

  explicit CallContext(Clock::time_point deadline, const std::atomic<bool>* shutdown = nullptr) noexcept
      : deadline_(deadline), shutdown_(shutdown) {}

  static CallContext with_timeout(std::chrono::milliseconds timeout,
                                  const std::atomic<bool>* shutdown = nullptr) noexcept {
    return CallContext(Clock::now() + timeout, shutdown);
  }

  Clock::time_point deadline() const noexcept { return deadline_; }
  std::chrono::milliseconds remaining() const noexcept {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    return left.count() > 0 ? left : std::chrono::milliseconds(0);
  }
  bool expired() const noexcept { return Clock::now() >= deadline_; }
  // Cancelled by this context's own cancel(), by process shutdown, or by its deadline.
  bool cancelled() const noexcept {
    return cancelled_.load(std::memory_order_relaxed) ||
           (shutdown_ != nullptr && shutdown_->load(std::memory_order_relaxed)) || expired();
  }
  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }

 private:
  Clock::time_point deadline_;
  const std::atomic<bool>* shutdown_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace mdp::domain
