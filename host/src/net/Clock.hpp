// Time source for the network layer. RateBudget and Retry-After handling read time only
// through this interface, so tests drive them with a ManualClock instead of sleeping.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

namespace mdp::net {

class Clock {
 public:
  using Steady = std::chrono::steady_clock;

  virtual ~Clock() = default;
  // Monotonic time: deadlines, pauses, refill.
  virtual Steady::time_point now() const = 0;
  // Wall-clock UTC ms: HTTP-date Retry-After, exchange windows aligned to the minute.
  virtual std::int64_t unix_ms() const = 0;
  // Blocks on `cv` (with `lock` held on entry and exit) for at most `duration`, or until
  // notified. A ManualClock advances its own time by `duration` instead of blocking.
  virtual void wait_for(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                        std::chrono::milliseconds duration) const = 0;
};

// The real clocks (steady_clock, system_clock). Stateless.
class SystemClock final : public Clock {
 public:
  Steady::time_point now() const override;
  std::int64_t unix_ms() const override;
  void wait_for(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                std::chrono::milliseconds duration) const override;
};

std::shared_ptr<const Clock> make_system_clock();

// Deterministic clock for tests: time moves only through advance() and wait_for().
// Thread-safe, but a wait_for() returns immediately after advancing, so use it where one
// thread drives the object under test.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t unix_ms_start = 1'700'000'000'000);

  Steady::time_point now() const override;
  std::int64_t unix_ms() const override;
  void wait_for(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                std::chrono::milliseconds duration) const override;

  void advance(std::chrono::milliseconds step);
  // Total time spent in wait_for() so far (how long the object under test "slept").
  std::chrono::milliseconds waited() const;

 private:
  mutable std::mutex mutex_;
  mutable std::chrono::milliseconds elapsed_{0};
  mutable std::chrono::milliseconds waited_{0};
  std::int64_t unix_start_;
  Steady::time_point steady_start_;
};

}  // namespace mdp::net
