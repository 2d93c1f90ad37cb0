#include "SyncScheduler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

namespace mdp::sync {
namespace {

using namespace std::chrono_literals;

SyncSchedule fast(std::chrono::milliseconds interval) {
  SyncSchedule s;
  s.interval = interval;
  s.jitter = 0ms;
  s.retry_initial = 10ms;
  s.retry_max = 40ms;
  s.job_timeout = 5s;
  return s;
}

// Waits until pred() holds or two seconds pass.
template <class Pred>
bool eventually(Pred pred) {
  const auto until = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return pred();
}

TEST(SyncScheduler, SyncsEveryExchangeAtStartThenPeriodically) {
  std::mutex m;
  std::map<std::string, int> runs;
  SyncScheduler scheduler({"a", "b"}, fast(30ms), [&](const std::string& id, const domain::CallContext&) {
    std::lock_guard<std::mutex> lock(m);
    ++runs[id];
    return JobOutcome::Succeeded;
  });
  scheduler.start();
  EXPECT_TRUE(eventually([&] {
    std::lock_guard<std::mutex> lock(m);
    return runs["a"] >= 3 && runs["b"] >= 3;
  }));
  scheduler.stop();
}

TEST(SyncScheduler, RetriesFailuresWithBackoffThenResets) {
  std::atomic<int> calls{0};
  SyncScheduler scheduler({"a"}, fast(1h), [&](const std::string&, const domain::CallContext&) {
    return ++calls <= 3 ? JobOutcome::Failed : JobOutcome::Succeeded;
  });
  scheduler.start();
  EXPECT_TRUE(eventually([&] { return calls.load() == 4; }));
  EXPECT_TRUE(eventually([&] { return scheduler.consecutive_failures("a") == 0; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(calls.load(), 4) << "after a success the next run waits a full interval";
  scheduler.stop();
}

TEST(SyncScheduler, RetryDelayIsBoundedExponentialWithJitter) {
  SyncSchedule s = fast(1h);
  s.retry_initial = 1000ms;
  s.retry_max = 60'000ms;
  SyncScheduler scheduler({}, s, [](const std::string&, const domain::CallContext&) { return JobOutcome::Succeeded; }, 42);
  std::int64_t previous_base = 0;
  for (int failures = 1; failures <= 40; ++failures) {
    const std::int64_t base = std::min<std::int64_t>(60'000, 1000LL << std::min(failures - 1, 30));
    bool varied = false;
    std::int64_t first = -1;
    for (int i = 0; i < 50; ++i) {
      const auto d = scheduler.retry_delay(failures).count();
      ASSERT_GE(d, base - base / 2) << failures;
      ASSERT_LE(d, base) << failures;
      if (first < 0) first = d;
      varied = varied || d != first;
    }
    EXPECT_TRUE(varied) << "jitter must vary the delay";
    EXPECT_GE(base, previous_base);
    previous_base = base;
  }
}

TEST(SyncScheduler, TriggerRunsPromptlyEvenWithALongInterval) {
  std::atomic<int> calls{0};
  SyncScheduler scheduler({"a"}, fast(1h), [&](const std::string&, const domain::CallContext&) {
    ++calls;
    return JobOutcome::Succeeded;
  });
  scheduler.start();
  ASSERT_TRUE(eventually([&] { return calls.load() == 1; }));
  scheduler.trigger("a");
  EXPECT_TRUE(eventually([&] { return calls.load() == 2; }));
  scheduler.trigger("unknown");  // ignored, no crash
  scheduler.stop();
}

TEST(SyncScheduler, StopCancelsTheRunningJobAndJoins) {
  std::atomic<bool> started{false};
  std::atomic<bool> saw_cancel{false};
  SyncScheduler scheduler({"a"}, fast(1h), [&](const std::string&, const domain::CallContext& ctx) {
    started = true;
    while (!ctx.cancelled()) std::this_thread::sleep_for(1ms);
    saw_cancel = true;
    return JobOutcome::Failed;
  });
  scheduler.start();
  ASSERT_TRUE(eventually([&] { return started.load(); }));
  const auto before = std::chrono::steady_clock::now();
  scheduler.stop();
  EXPECT_TRUE(saw_cancel.load());
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
}

TEST(SyncScheduler, AThrowingJobCountsAsAFailureAndTheSchedulerLives) {
  std::atomic<int> calls{0};
  SyncScheduler scheduler({"a"}, fast(1h), [&](const std::string&, const domain::CallContext&) -> JobOutcome {
    if (++calls == 1) throw std::runtime_error("boom");
    return JobOutcome::Succeeded;
  });
  scheduler.start();
  EXPECT_TRUE(eventually([&] { return calls.load() == 2; }));
  scheduler.stop();
}

}  // namespace
}  // namespace mdp::sync
