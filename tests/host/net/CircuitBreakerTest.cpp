// CircuitBreaker: when an exchange's breaker opens, fails fast, probes and closes again
// (RELIABILITY.md U11), against a scripted inner transport and a ManualClock (no sleeping).
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <stdexcept>
#include <vector>

#include "CircuitBreaker.hpp"
#include "Clock.hpp"
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

CallContext roomy() { return CallContext::with_timeout(std::chrono::seconds(30)); }

struct Fixture {
  explicit Fixture(std::vector<UpstreamResult> script, BreakerPolicy policy = {3, milliseconds(10'000)})
      : inner(std::move(script)), clock(std::make_shared<ManualClock>()), breaker(inner, policy, clock) {}
  UpstreamResult send(const std::string& exchange = "binance_futures", const CallContext& context = roomy()) {
    return breaker.send(UpstreamRequest{exchange, "GET", "https://x.test/api", {}, {}, 1}, context);
  }
  ScriptedUpstream inner;
  std::shared_ptr<ManualClock> clock;
  CircuitBreaker breaker;
};

TEST(CircuitBreaker, TransportErrorsUpstreamTimeoutsAnd5xxAreFailures) {
  EXPECT_EQ(breaker_verdict(failure(UpstreamFailure::ConnectFailed), false), BreakerVerdict::Failure);
  EXPECT_EQ(breaker_verdict(failure(UpstreamFailure::ReadFailed), false), BreakerVerdict::Failure);
  EXPECT_EQ(breaker_verdict(failure(UpstreamFailure::Timeout), false), BreakerVerdict::Failure);
  for (const int code : {500, 502, 503, 504, 599}) EXPECT_EQ(breaker_verdict(status(code), false), BreakerVerdict::Failure);
  // 2xx-4xx, including the 429/418 the rate budget handles: the exchange is there.
  for (const int code : {200, 204, 301, 400, 404, 418, 429}) {
    EXPECT_EQ(breaker_verdict(status(code), false), BreakerVerdict::Success) << code;
  }
  // Nothing learnt about the exchange: refused before sending, or the caller's own deadline.
  EXPECT_EQ(breaker_verdict(failure(UpstreamFailure::Timeout), true), BreakerVerdict::Neutral);
  for (const auto kind : {UpstreamFailure::NotAllowed, UpstreamFailure::TooLarge, UpstreamFailure::Cancelled,
                          UpstreamFailure::RateLimited, UpstreamFailure::CircuitOpen}) {
    EXPECT_EQ(breaker_verdict(failure(kind), false), BreakerVerdict::Neutral);
  }
}

TEST(CircuitBreaker, OpensAfterThresholdConsecutiveFailuresThenFailsFastWithoutSending) {
  Fixture f({status(503), failure(UpstreamFailure::ConnectFailed), status(500)});
  EXPECT_EQ(f.send().response.status, 503);
  EXPECT_EQ(f.send().failure, UpstreamFailure::ConnectFailed);
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::Closed);
  EXPECT_EQ(f.send().response.status, 500);
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::Open);

  const UpstreamResult fast = f.send();
  EXPECT_EQ(fast.failure, UpstreamFailure::CircuitOpen);
  EXPECT_EQ(fast.retry_after_ms, 10'000);
  EXPECT_NE(fast.message.find("binance_futures"), std::string::npos) << fast.message;
  f.clock->advance(milliseconds(4'000));
  EXPECT_EQ(f.send().retry_after_ms, 6'000);  // the remaining cool-down
  EXPECT_EQ(f.inner.calls, 3);               // nothing reached the exchange while open
  EXPECT_EQ(f.breaker.rejected(), 2u);
}

TEST(CircuitBreaker, OnlyConsecutiveFailuresCount) {
  Fixture f({status(503), status(503), status(404), status(503), status(503), status(200)});
  for (int i = 0; i < 6; ++i) f.send();
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::Closed);
  EXPECT_EQ(f.inner.calls, 6);
}

TEST(CircuitBreaker, RefusalsThatNeverReachedTheExchangeNeitherCountNorReset) {
  Fixture f({status(503), status(503), failure(UpstreamFailure::RateLimited), failure(UpstreamFailure::Cancelled),
             status(502)});
  for (int i = 0; i < 5; ++i) f.send();
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::Open);
}

TEST(CircuitBreaker, TimeoutsOfTheCallersOwnDeadlineDoNotCount) {
  Fixture f({failure(UpstreamFailure::Timeout)});
  const CallContext expired(CallContext::Clock::now() - std::chrono::seconds(1));
  for (int i = 0; i < 5; ++i) f.send("binance_futures", expired);
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::Closed);
  for (int i = 0; i < 3; ++i) f.send();  // the upstream's own timeout, with time left: failures
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::Open);
}

TEST(CircuitBreaker, AfterTheCoolDownOneProbeGoesThroughAndItsSuccessCloses) {
  Fixture f({status(503), status(503), status(503), status(200)});
  for (int i = 0; i < 3; ++i) f.send();
  f.clock->advance(milliseconds(10'000));
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::HalfOpen);
  // While the probe is out, every other caller still fails fast.
  UpstreamResult concurrent;
  f.inner.during_send = [&] { concurrent = f.send(); };
  EXPECT_EQ(f.send().response.status, 200);
  f.inner.during_send = nullptr;
  EXPECT_EQ(concurrent.failure, UpstreamFailure::CircuitOpen);
  EXPECT_GT(concurrent.retry_after_ms, 0);
  EXPECT_EQ(f.inner.calls, 4);  // the probe only
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::Closed);
  EXPECT_EQ(f.send().response.status, 200);
  EXPECT_EQ(f.inner.calls, 5);
}

TEST(CircuitBreaker, AFailedProbeOpensItAgainForAFullCoolDown) {
  Fixture f({status(503)});
  for (int i = 0; i < 3; ++i) f.send();
  f.clock->advance(milliseconds(10'000));
  EXPECT_EQ(f.send().response.status, 503);  // the probe
  EXPECT_EQ(f.inner.calls, 4);
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::Open);
  const UpstreamResult fast = f.send();
  EXPECT_EQ(fast.failure, UpstreamFailure::CircuitOpen);
  EXPECT_EQ(fast.retry_after_ms, 10'000);
  EXPECT_EQ(f.inner.calls, 4);
}

TEST(CircuitBreaker, AProbeThatLearntNothingLeavesItHalfOpenForTheNextOne) {
  Fixture f({status(503), status(503), status(503), failure(UpstreamFailure::Cancelled), status(200)});
  for (int i = 0; i < 3; ++i) f.send();
  f.clock->advance(milliseconds(10'000));
  EXPECT_EQ(f.send().failure, UpstreamFailure::Cancelled);
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::HalfOpen);
  EXPECT_EQ(f.send().response.status, 200);
  EXPECT_EQ(f.breaker.state("binance_futures"), BreakerState::Closed);
}

TEST(CircuitBreaker, OtherExchangesAreUnaffected) {
  Fixture f({status(503)});
  for (int i = 0; i < 3; ++i) f.send("binance_futures");
  EXPECT_EQ(f.send("binance_futures").failure, UpstreamFailure::CircuitOpen);
  f.inner.answer({status(200)});
  EXPECT_EQ(f.send("coinbase").response.status, 200);
  EXPECT_EQ(f.inner.calls_to["coinbase"], 1);
  EXPECT_EQ(f.breaker.state("coinbase"), BreakerState::Closed);
}

TEST(CircuitBreaker, AThresholdOfZeroDisablesIt) {
  Fixture f({status(503)}, BreakerPolicy{0, milliseconds(10'000)});
  for (int i = 0; i < 20; ++i) EXPECT_EQ(f.send().response.status, 503);
  EXPECT_EQ(f.inner.calls, 20);
}

TEST(CircuitBreaker, DefaultPolicyIsFiveFailuresAndTenSeconds) {
  const BreakerPolicy policy;
  EXPECT_EQ(policy.failure_threshold, 5);
  EXPECT_EQ(policy.cool_down, milliseconds(10'000));
}

TEST(CircuitBreaker, RefusesABadPolicy) {
  ScriptedUpstream inner({status(200)});
  EXPECT_THROW(CircuitBreaker(inner, BreakerPolicy{-1, milliseconds(1000)}), std::invalid_argument);
  EXPECT_THROW(CircuitBreaker(inner, BreakerPolicy{5, milliseconds(0)}), std::invalid_argument);
}

}  // namespace
}  // namespace mdp::net
