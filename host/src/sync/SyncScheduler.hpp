// Runs one job per exchange on a schedule: at start, then every interval plus jitter; after a
// failure, again after an exponential backoff with jitter (bounded). One thread; jobs run one
// at a time. stop() cancels the running job's CallContext and joins: no thread is left.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "CallContext.hpp"

namespace mdp::sync {

enum class JobOutcome { Succeeded, Failed, Skipped };

struct SyncSchedule {
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  std::chrono::milliseconds jitter{std::chrono::minutes(5)};
  std::chrono::milliseconds retry_initial{std::chrono::seconds(30)};
  std::chrono::milliseconds retry_max{std::chrono::minutes(30)};
  std::chrono::milliseconds job_timeout{std::chrono::minutes(2)};
};

class SyncScheduler {
 public:
  using Job = std::function<JobOutcome(const std::string& exchange, const domain::CallContext& context)>;

  SyncScheduler(std::vector<std::string> exchanges, SyncSchedule schedule, Job job,
                std::uint64_t seed = std::random_device{}());
  ~SyncScheduler();
  SyncScheduler(const SyncScheduler&) = delete;
  SyncScheduler& operator=(const SyncScheduler&) = delete;

  void start();
  // Runs the exchange's job as soon as the scheduler is free.
  void trigger(const std::string& exchange);
  void stop();

  // Delay after `failures` consecutive failures (1 = first retry): min(max, initial·2^(n−1)),
  // with "equal jitter" (half fixed, half random) so replicas do not retry in lockstep.
  std::chrono::milliseconds retry_delay(int failures);
  std::chrono::milliseconds next_period();

  int consecutive_failures(const std::string& exchange) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Clock::time_point next_run;
    int failures = 0;
  };

  void run();

  SyncSchedule schedule_;
  Job job_;
  std::map<std::string, Entry> entries_;
  std::mt19937_64 random_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<bool> shutdown_{false};
  std::thread thread_;
};

}  // namespace mdp::sync
