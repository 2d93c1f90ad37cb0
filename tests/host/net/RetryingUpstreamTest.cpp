// RetryingUpstream: which answers are retried, how often, after which pauses (RELIABILITY.md
// U4), against a scripted inner transport and a ManualClock (no real sleeping).
#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <stdexcept>
#include <vector>

#include "Clock.hpp"
#include "RetryingUpstream.hpp"
#include "ScriptedUpstream.hpp"

namespace mdp::net {
namespace {

using domain::CallContext;
using domain::UpstreamFailure;
using domain::UpstreamRequest;
using domain::UpstreamResult;
using std::chrono::milliseconds;

using test::ScriptedUpstream;
using test::failure;
using test::status;

struct Fixture {
  explicit Fixture(std::vector<UpstreamResult> script, RetryPolicy policy = {})
      : inner(std::move(script)),
        clock(std::make_shared<ManualClock>()),
        retrying(inner, policy, clock, [this](milliseconds bound) {
          bounds.push_back(bound);
          return bound;  // the longest pause the policy allows
        }) {}
  UpstreamResult send(const CallContext& context = CallContext::with_timeout(std::chrono::seconds(30))) {
    return retrying.send(UpstreamRequest{"binance_futures", "GET", "https://x.test/api", {}, {}, 1}, context);
  }
  ScriptedUpstream inner;
  std::shared_ptr<ManualClock> clock;
  std::vector<milliseconds> bounds;
  RetryingUpstream retrying;
};

TEST(RetryingUpstream, OnlyServerErrorsAreRetryable) {
  for (const int code : {500, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(code)) << code;
  for (const int code : {200, 204, 301, 400, 401, 403, 404, 408, 418, 429, 501, 505}) {
    EXPECT_FALSE(is_retryable_status(code)) << code;
  }
}

TEST(RetryingUpstream, BackoffBoundDoublesUpToTheCap) {
  const RetryPolicy policy{5, milliseconds(100), milliseconds(1000), {}};
  EXPECT_EQ(backoff_bound(policy, 0), milliseconds(100));
  EXPECT_EQ(backoff_bound(policy, 1), milliseconds(200));
  EXPECT_EQ(backoff_bound(policy, 2), milliseconds(400));
  EXPECT_EQ(backoff_bound(policy, 3), milliseconds(800));
  EXPECT_EQ(backoff_bound(policy, 4), milliseconds(1000));
  EXPECT_EQ(backoff_bound(policy, 60), milliseconds(1000));  // no overflow
}

TEST(RetryingUpstream, A5xxThatRecoversIsRetriedAfterExponentialPauses) {
  Fixture f({status(503), status(502), status(200)});
  const UpstreamResult result = f.send();
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(f.inner.calls, 3);
  EXPECT_EQ(f.retrying.retries(), 2u);
  EXPECT_EQ(f.bounds, (std::vector<milliseconds>{milliseconds(100), milliseconds(200)}));
  EXPECT_EQ(f.clock->waited(), milliseconds(300));
}

TEST(RetryingUpstream, APersistent5xxIsTriedOnePlusMaxRetriesTimesThenReturned) {
  Fixture f({status(500)});
  const UpstreamResult result = f.send();
  EXPECT_EQ(result.failure, UpstreamFailure::None);
  EXPECT_EQ(result.response.status, 500);
  EXPECT_EQ(result.response.body, "body 500");
  EXPECT_EQ(f.inner.calls, 3);

  Fixture none({status(500)}, RetryPolicy{0, milliseconds(100), milliseconds(1000), {}});
  none.send();
  EXPECT_EQ(none.inner.calls, 1);
}

TEST(RetryingUpstream, EverythingElseIsReturnedAtOnce) {
  for (const int code : {200, 400, 404, 418, 429, 501}) {
    Fixture f({status(code), status(200)});
    EXPECT_EQ(f.send().response.status, code);
    EXPECT_EQ(f.inner.calls, 1) << code;
  }
  for (const UpstreamFailure kind : {UpstreamFailure::ConnectFailed, UpstreamFailure::Timeout, UpstreamFailure::ReadFailed,
                                     UpstreamFailure::TooLarge, UpstreamFailure::RateLimited,
                                     UpstreamFailure::NotAllowed, UpstreamFailure::Cancelled}) {
    Fixture f({failure(kind), status(200)});
    EXPECT_EQ(f.send().failure, kind);
    EXPECT_EQ(f.inner.calls, 1);
  }
}

TEST(RetryingUpstream, NoRetryWithoutTimeForThePauseOrAfterCancellation) {
  Fixture short_deadline({status(503), status(200)});
  EXPECT_EQ(short_deadline.send(CallContext::with_timeout(milliseconds(50))).response.status, 503);
  EXPECT_EQ(short_deadline.inner.calls, 1);

  Fixture cancelled({status(503), status(200)});
  CallContext context = CallContext::with_timeout(std::chrono::seconds(30));
  context.cancel();
  EXPECT_EQ(cancelled.send(context).response.status, 503);
  EXPECT_EQ(cancelled.inner.calls, 1);
}

TEST(RetryingUpstream, RetryAfterOnA5xxReplacesThePauseWhenItFitsUnderTheCap) {
  Fixture fits({status(503, 700), status(200)});
  EXPECT_EQ(fits.send().response.status, 200);
  EXPECT_EQ(fits.clock->waited(), milliseconds(700));

  Fixture too_long({status(503, 30'000), status(200)});
  EXPECT_EQ(too_long.send().response.status, 503);
  EXPECT_EQ(too_long.inner.calls, 1);
}

TEST(RetryingUpstream, DefaultJitterIsUniformWithinTheBoundAndNotInLockstep) {
  // Full jitter: the real generator's pauses lie in [0, bound] and differ between instances.
  std::set<std::int64_t> waits;
  for (int i = 0; i < 8; ++i) {
    ScriptedUpstream inner({status(503), status(200)});
    const auto clock = std::make_shared<ManualClock>();
    RetryingUpstream retrying(inner, RetryPolicy{1, milliseconds(1000), milliseconds(1000), {}}, clock);
    EXPECT_EQ(retrying.send(UpstreamRequest{}, CallContext::with_timeout(std::chrono::seconds(30))).response.status, 200);
    EXPECT_LE(clock->waited(), milliseconds(1000));
    waits.insert(clock->waited().count());
  }
  EXPECT_GT(waits.size(), 1u) << "eight instances drew the same pause";
}

TEST(RetryingUpstream, AnOutageCostsAtMostTheRetryBudgetOnTopOfTheCalls) {
  // RELIABILITY.md U5: 100 calls/s for 60 s against an exchange answering 503 throughout.
  // Without the budget that is 3 upstream requests per call; with it, retries stay within
  // 10 % of the calls + 1/s + the burst of 10, so the total is below 1.2 x the calls.
  ScriptedUpstream inner({status(503)});
  const auto clock = std::make_shared<ManualClock>();
  RetryingUpstream retrying(inner, RetryPolicy{}, clock, [](milliseconds) { return milliseconds(0); });
  const int calls = 6'000;
  for (int i = 0; i < calls; ++i) {
    retrying.send(UpstreamRequest{"binance_futures", "GET", "https://x.test/api", {}, {}, 1},
                  CallContext::with_timeout(std::chrono::seconds(30)));
    clock->advance(milliseconds(10));
  }
  EXPECT_LE(inner.calls, calls + calls / 10 + 60 + 10);
  EXPECT_LE(inner.calls, calls * 12 / 10);
  EXPECT_GT(retrying.retries(), 600u);  // the budget is used, not just refused
  EXPECT_GT(retrying.budget_refusals(), 0u);
}

TEST(RetryingUpstream, TheRetryBudgetIsPerExchange) {
  ScriptedUpstream inner({status(503)});
  const auto clock = std::make_shared<ManualClock>();
  RetryPolicy policy;
  policy.budget = RetryBudgetConfig{0.1, 0.0, 2.0};
  RetryingUpstream retrying(inner, policy, clock, [](milliseconds) { return milliseconds(0); });
  const auto send = [&](const std::string& exchange) {
    const int before = inner.calls;
    retrying.send(UpstreamRequest{exchange, "GET", "https://x.test/api", {}, {}, 1},
                  CallContext::with_timeout(std::chrono::seconds(30)));
    return inner.calls - before;
  };
  EXPECT_EQ(send("binance_futures"), 3);  // two retries: the burst is spent
  EXPECT_EQ(send("binance_futures"), 1);  // no retry left
  EXPECT_EQ(send("coinbase"), 3);         // its own budget
  EXPECT_EQ(retrying.budget_refusals(), 1u);
}

TEST(RetryingUpstream, DefaultPolicyIsTwoRetriesFrom100MillisecondsCappedAtOneSecond) {
  // Documented in docs/operations.md and relied on by the API and application tests (3 attempts).
  const RetryPolicy policy;
  EXPECT_EQ(policy.max_retries, 2);
  EXPECT_EQ(policy.base, milliseconds(100));
  EXPECT_EQ(policy.cap, milliseconds(1000));
}

TEST(RetryingUpstream, RefusesABadPolicy) {
  ScriptedUpstream inner({status(200)});
  EXPECT_THROW(RetryingUpstream(inner, RetryPolicy{-1, milliseconds(100), milliseconds(1000), {}}), std::invalid_argument);
  EXPECT_THROW(RetryingUpstream(inner, RetryPolicy{2, milliseconds(0), milliseconds(1000), {}}), std::invalid_argument);
  EXPECT_THROW(RetryingUpstream(inner, RetryPolicy{2, milliseconds(100), milliseconds(0), {}}), std::invalid_argument);
}

}  // namespace
}  // namespace mdp::net
