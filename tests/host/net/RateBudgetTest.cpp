#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "RateBudget.hpp"

using mdp::domain::CallContext;
using mdp::net::BudgetOutcome;
using mdp::net::ManualClock;
using mdp::net::RateBudget;
using mdp::net::RateBudgetConfig;
using mdp::net::UpstreamObservation;
using std::chrono::milliseconds;

namespace {

RateBudgetConfig config(std::int64_t weight, milliseconds window = milliseconds(60'000), double fraction = 1.0) {
  RateBudgetConfig c;
  c.weight_per_window = weight;
  c.window = window;
  c.safety_fraction = fraction;
  c.window_aligned = false;
  return c;
}

CallContext within(milliseconds timeout) { return CallContext::with_timeout(timeout); }

UpstreamObservation answered(std::int32_t status, std::int64_t retry_after_ms = -1) {
  UpstreamObservation o;
  o.status = status;
  o.retry_after_ms = retry_after_ms;
  return o;
}

}  // namespace

TEST(RateBudget, SafetyFractionScalesTheExchangeLimit) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(2400, milliseconds(60'000), 0.8), clock);
  EXPECT_EQ(budget.snapshot().capacity, 1920);
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 1920.0);
}

TEST(RateBudget, FailsFastWhenTheWaitExceedsTheDeadline) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(100), clock);  // 100 weight per minute: 1 weight per 600 ms
  auto first = budget.acquire(100, within(milliseconds(1000)));
  ASSERT_TRUE(first.granted());
  budget.finish(first.grant, answered(200));

  auto second = budget.acquire(10, within(milliseconds(1000)));
  EXPECT_EQ(second.outcome, BudgetOutcome::RateLimited);
  EXPECT_EQ(second.retry_after_ms, 6000);  // 10 weight at 100/min
  EXPECT_EQ(clock->waited().count(), 0);   // did not wait for nothing
}

TEST(RateBudget, WaitsWhenTheDeadlineAllows) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(100), clock);
  auto first = budget.acquire(100, within(milliseconds(1000)));
  budget.finish(first.grant, answered(200));
  auto second = budget.acquire(10, within(milliseconds(10'000)));
  ASSERT_TRUE(second.granted());
  EXPECT_GE(clock->waited().count(), 6000);
  EXPECT_LE(clock->waited().count(), 6050);
}

TEST(RateBudget, RefillsContinuouslyUpToCapacity) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(60), clock);  // 1 per second
  auto all = budget.acquire(60, within(milliseconds(10)));
  budget.finish(all.grant, answered(200));
  clock->advance(milliseconds(30'000));
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 30.0);
  clock->advance(milliseconds(600'000));
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 60.0);
}

TEST(RateBudget, TooHeavyOrNegativeIsInvalid) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(100, milliseconds(60'000), 0.8), clock);
  EXPECT_EQ(budget.acquire(81, within(milliseconds(100'000))).outcome, BudgetOutcome::Invalid);
  EXPECT_EQ(budget.acquire(-1, within(milliseconds(100))).outcome, BudgetOutcome::Invalid);
  EXPECT_TRUE(budget.acquire(80, within(milliseconds(100))).granted());
}

TEST(RateBudget, UnlimitedStillHonours429And418) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(0), clock);
  auto a = budget.acquire(1000, within(milliseconds(10)));
  ASSERT_TRUE(a.granted());
  budget.finish(a.grant, answered(429, 2000));
  auto b = budget.acquire(1, within(milliseconds(100)));
  EXPECT_EQ(b.outcome, BudgetOutcome::RateLimited);
  EXPECT_EQ(b.retry_after_ms, 2000);
}

TEST(RateBudget, Upstream429PausesUntilRetryAfter) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(1200), clock);
  auto a = budget.acquire(1, within(milliseconds(100)));
  budget.finish(a.grant, answered(429, 3000));
  EXPECT_EQ(budget.snapshot().paused_ms, 3000);

  auto short_deadline = budget.acquire(1, within(milliseconds(1000)));
  EXPECT_EQ(short_deadline.outcome, BudgetOutcome::RateLimited);
  EXPECT_GE(short_deadline.retry_after_ms, 3000);

  auto long_deadline = budget.acquire(1, within(milliseconds(10'000)));
  ASSERT_TRUE(long_deadline.granted());
  EXPECT_GE(clock->waited().count(), 3000);  // nothing went out during the pause
}

TEST(RateBudget, Upstream429WithoutRetryAfterUsesTheDefaultPause) {
  auto clock = std::make_shared<ManualClock>();
  auto c = config(1200);
  c.default_429_pause = milliseconds(7000);
  RateBudget budget(c, clock);
  auto a = budget.acquire(1, within(milliseconds(100)));
  budget.finish(a.grant, answered(429));
  EXPECT_EQ(budget.snapshot().paused_ms, 7000);
}

TEST(RateBudget, Upstream418BansAndFailsFast) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(1200), clock);
  auto a = budget.acquire(1, within(milliseconds(100)));
  budget.finish(a.grant, answered(418, 120'000));

  EXPECT_EQ(budget.check_ban().outcome, BudgetOutcome::Banned);
  auto b = budget.acquire(1, within(milliseconds(600'000)));  // even a patient caller
  EXPECT_EQ(b.outcome, BudgetOutcome::Banned);
  EXPECT_EQ(b.retry_after_ms, 120'000);
  EXPECT_EQ(clock->waited().count(), 0);

  clock->advance(milliseconds(60'000));
  EXPECT_EQ(budget.acquire(1, within(milliseconds(600'000))).retry_after_ms, 60'000);

  clock->advance(milliseconds(60'000));
  EXPECT_EQ(budget.check_ban().outcome, BudgetOutcome::Granted);
  // After the ban: one probe first; others wait for its answer.
  auto probe = budget.acquire(1, within(milliseconds(10'000)));
  ASSERT_TRUE(probe.granted());
  EXPECT_TRUE(probe.grant.probe);
  auto blocked = budget.acquire(1, within(milliseconds(200)));
  EXPECT_EQ(blocked.outcome, BudgetOutcome::RateLimited);
  budget.finish(probe.grant, answered(200));
  auto normal = budget.acquire(1, within(milliseconds(10'000)));
  ASSERT_TRUE(normal.granted());
  EXPECT_FALSE(normal.grant.probe);
}

TEST(RateBudget, Upstream418WithoutRetryAfterBansTwoMinutes) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(1200), clock);
  auto a = budget.acquire(1, within(milliseconds(100)));
  budget.finish(a.grant, answered(418));
  EXPECT_EQ(budget.snapshot().banned_ms, 120'000);
}

TEST(RateBudget, BanIsCappedAtMaxPause) {
  auto clock = std::make_shared<ManualClock>();
  auto c = config(1200);
  c.max_pause = milliseconds(3'600'000);
  RateBudget budget(c, clock);
  auto a = budget.acquire(1, within(milliseconds(100)));
  budget.finish(a.grant, answered(418, 10LL * 24 * 3600 * 1000));
  EXPECT_EQ(budget.snapshot().banned_ms, 3'600'000);
}

TEST(RateBudget, AdoptsTheExchangeUsedWeight) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(1000), clock);
  auto a = budget.acquire(1, within(milliseconds(100)));
  UpstreamObservation o = answered(200);
  o.used_weight = 990;
  budget.finish(a.grant, o);
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 10.0);

  // The exchange reports less than we thought: we believe it.
  auto b = budget.acquire(1, within(milliseconds(100)));
  o.used_weight = 100;
  budget.finish(b.grant, o);
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 900.0);
}

TEST(RateBudget, AdoptionCountsOurOtherRequestsInFlight) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(1000), clock);
  auto slow = budget.acquire(50, within(milliseconds(100)));  // still in flight
  auto fast = budget.acquire(5, within(milliseconds(100)));
  UpstreamObservation o = answered(200);
  o.used_weight = 500;
  budget.finish(fast.grant, o);
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 450.0);  // 1000 - 500 - 50
  budget.finish(slow.grant, answered(200));
}

TEST(RateBudget, AlignedWindowHoldsUntilTheMinuteBoundary) {
  // 1'700'000'010'000 ms is 10 s into a UTC minute: 50 s to the boundary.
  auto clock = std::make_shared<ManualClock>(1'700'000'010'000 - (1'700'000'010'000 % 60'000) + 10'000);
  auto c = config(2400, milliseconds(60'000), 0.8);
  c.window_aligned = true;
  RateBudget budget(c, clock);
  auto a = budget.acquire(1, within(milliseconds(100)));
  UpstreamObservation o = answered(200);
  o.used_weight = 1915;  // of our 1920
  budget.finish(a.grant, o);
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 5.0);
  EXPECT_EQ(budget.snapshot().frozen_ms, 50'000);

  // No refill inside the exchange's window: 10 weight cannot fit before the boundary.
  clock->advance(milliseconds(20'000));
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 5.0);
  auto early = budget.acquire(10, within(milliseconds(5000)));
  EXPECT_EQ(early.outcome, BudgetOutcome::RateLimited);
  EXPECT_EQ(early.retry_after_ms, 30'000);

  auto patient = budget.acquire(10, within(milliseconds(60'000)));
  ASSERT_TRUE(patient.granted());
  EXPECT_EQ(clock->waited().count(), 30'000);
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 1910.0);  // the new window starts full
  budget.finish(patient.grant, answered(200));
}

TEST(RateBudget, AlignedWindowIgnoresOlderFigures) {
  auto clock = std::make_shared<ManualClock>(1'700'000'040'000);
  auto c = config(1000);
  c.window_aligned = true;
  RateBudget budget(c, clock);
  auto a = budget.acquire(1, within(milliseconds(100)));
  auto b = budget.acquire(1, within(milliseconds(100)));
  UpstreamObservation o = answered(200);
  o.used_weight = 600;
  budget.finish(b.grant, o);
  o.used_weight = 400;  // a's answer, counted earlier by the exchange, arrives late
  budget.finish(a.grant, o);
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 399.0);  // 1000 - 600 - 1 (a was in flight)
}

TEST(RateBudget, NothingSentIsRefunded) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(100), clock);
  auto a = budget.acquire(40, within(milliseconds(100)));
  UpstreamObservation o;
  o.reached_exchange = false;
  budget.finish(a.grant, o);
  EXPECT_DOUBLE_EQ(budget.snapshot().tokens, 100.0);
  EXPECT_EQ(budget.snapshot().in_flight, 0);
}

TEST(RateBudget, SetWeightPerWindow) {
  auto clock = std::make_shared<ManualClock>();
  RateBudget budget(config(2400, milliseconds(60'000), 0.8), clock);
  budget.set_weight_per_window(1200);
  EXPECT_EQ(budget.snapshot().capacity, 960);
  EXPECT_LE(budget.snapshot().tokens, 960.0);
}

TEST(RateBudget, RejectsBadConfig) {
  auto clock = std::make_shared<ManualClock>();
  auto c = config(100);
  c.safety_fraction = 0;
  EXPECT_THROW(RateBudget(c, clock), std::invalid_argument);
  c = config(100, milliseconds(0));
  EXPECT_THROW(RateBudget(c, clock), std::invalid_argument);
  c = config(-5);
  EXPECT_THROW(RateBudget(c, clock), std::invalid_argument);
}

// Real clock: waiters are served in order and a cancelled waiter leaves promptly.
TEST(RateBudget, CancellationWhileWaiting) {
  RateBudget budget(config(10, milliseconds(10'000)), nullptr);  // 1 weight per second
  auto all = budget.acquire(10, within(milliseconds(100)));
  ASSERT_TRUE(all.granted());
  CallContext context = within(milliseconds(30'000));
  std::atomic<int> outcome{-1};
  const auto start = std::chrono::steady_clock::now();
  std::thread waiter([&] { outcome = static_cast<int>(budget.acquire(5, context).outcome); });
  std::this_thread::sleep_for(milliseconds(150));
  EXPECT_EQ(budget.snapshot().waiting, 1);
  context.cancel();
  waiter.join();
  EXPECT_EQ(outcome.load(), static_cast<int>(BudgetOutcome::Cancelled));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1500));
  EXPECT_EQ(budget.snapshot().waiting, 0);
}

TEST(RateBudget, SharedAcrossThreads) {
  // 20 weight per 500 ms; 4 threads x 10 requests of weight 1 = 40: the second 20 must wait
  // for refill (~500 ms) and nobody gets more than the bucket allows.
  RateBudget budget(config(20, milliseconds(500)), nullptr);
  std::atomic<int> granted{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto d = budget.acquire(1, within(milliseconds(5000)));
        if (d.granted()) {
          ++granted;
          budget.finish(d.grant, answered(200));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(granted.load(), 40);
  EXPECT_GE(elapsed, milliseconds(450));
  EXPECT_LT(elapsed, milliseconds(3000));
}
