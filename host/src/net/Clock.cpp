#include "Clock.hpp"

namespace mdp::net {

Clock::Steady::time_point SystemClock::now() const { return Steady::now(); }

std::int64_t SystemClock::unix_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SystemClock::wait_for(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                           std::chrono::milliseconds duration) const {
  cv.wait_for(lock, duration);
}

std::shared_ptr<const Clock> make_system_clock() { return std::make_shared<SystemClock>(); }

ManualClock::ManualClock(std::int64_t unix_ms_start)
    : unix_start_(unix_ms_start), steady_start_(Steady::time_point{} + std::chrono::hours(24)) {}

Clock::Steady::time_point ManualClock::now() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return steady_start_ + elapsed_;
}

std::int64_t ManualClock::unix_ms() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return unix_start_ + elapsed_.count();
}

void ManualClock::wait_for(std::condition_variable& /*cv*/, std::unique_lock<std::mutex>& /*lock*/,
                           std::chrono::milliseconds duration) const {
  if (duration.count() <= 0) return;
  std::lock_guard<std::mutex> guard(mutex_);
  elapsed_ += duration;
  waited_ += duration;
}

void ManualClock::advance(std::chrono::milliseconds step) {
  if (step.count() <= 0) return;
  std::lock_guard<std::mutex> guard(mutex_);
  elapsed_ += step;
}

std::chrono::milliseconds ManualClock::waited() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return waited_;
}

}  // namespace mdp::net
