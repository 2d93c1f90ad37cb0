#include "SyncScheduler.hpp"

#include <algorithm>

namespace mdp::sync {

SyncScheduler::SyncScheduler(std::vector<std::string> exchanges, SyncSchedule schedule, Job job,
                             std::uint64_t seed)
    : schedule_(schedule), job_(std::move(job)), random_(seed) {
  const auto now = Clock::now();
  for (auto& id : exchanges) entries_[id] = Entry{now, 0};
}

SyncScheduler::~SyncScheduler() { stop(); }

void SyncScheduler::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void SyncScheduler::trigger(const std::string& exchange) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(exchange);
  if (it == entries_.end()) return;
  it->second.next_run = Clock::now();
  wake_.notify_all();
}

void SyncScheduler::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    shutdown_.store(true);
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

std::chrono::milliseconds SyncScheduler::retry_delay(int failures) {
  const int shift = std::clamp(failures - 1, 0, 30);
  const auto initial = schedule_.retry_initial.count();
  const auto cap = schedule_.retry_max.count();
  const auto base = initial > (cap >> shift) ? cap : std::min<std::int64_t>(cap, initial << shift);
  std::uniform_int_distribution<std::int64_t> half(0, base / 2);
  return std::chrono::milliseconds(base - base / 2 + half(random_));
}

std::chrono::milliseconds SyncScheduler::next_period() {
  std::uniform_int_distribution<std::int64_t> jitter(0, schedule_.jitter.count());
  return schedule_.interval + std::chrono::milliseconds(jitter(random_));
}

int SyncScheduler::consecutive_failures(const std::string& exchange) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(exchange);
  return it == entries_.end() ? 0 : it->second.failures;
}

void SyncScheduler::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    auto due = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
      return a.second.next_run < b.second.next_run;
    });
    if (due == entries_.end()) {
      wake_.wait(lock, [this] { return stopping_; });
      break;
    }
    if (Clock::now() < due->second.next_run) {
      wake_.wait_until(lock, due->second.next_run);
      continue;  // re-evaluate: a trigger or stop may have arrived
    }
    const std::string exchange = due->first;
    // Not due again until this run decides; a trigger during the run re-arms it.
    due->second.next_run = Clock::time_point::max();
    lock.unlock();
    JobOutcome outcome = JobOutcome::Failed;
    {
      const domain::CallContext context(Clock::now() + schedule_.job_timeout, &shutdown_);
      try {
        outcome = job_(exchange, context);
      } catch (...) {
        outcome = JobOutcome::Failed;  // the job records its own failure; keep the scheduler alive
      }
    }
    lock.lock();
    Entry& entry = entries_[exchange];
    const bool triggered_meanwhile = entry.next_run != Clock::time_point::max();
    if (outcome == JobOutcome::Failed) {
      ++entry.failures;
      entry.next_run = Clock::now() + retry_delay(entry.failures);
    } else {
      entry.failures = 0;
      entry.next_run = Clock::now() + next_period();
    }
    if (triggered_meanwhile) entry.next_run = Clock::now();
  }
}

}  // namespace mdp::sync
