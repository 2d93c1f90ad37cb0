// UpstreamStack against FakeExchangeServer on 127.0.0.1: the layers are stacked in the order
// mdp-host relies on (retries on top of the breaker on top of the transport).
#include <gtest/gtest.h>

#include <chrono>

#include "FakeExchangeServer.hpp"
#include "FakeUpstream.hpp"
#include "UpstreamStack.hpp"

using mdp::domain::CallContext;
using mdp::domain::UpstreamFailure;
using mdp::fake::FakeExchangeServer;
using mdp::fake::FakeResponse;
using mdp::net::BreakerPolicy;
using mdp::net::RetryPolicy;
using mdp::net::UpstreamStack;
using std::chrono::milliseconds;

namespace {

using mdp::net::test::config_for;
using mdp::net::test::get;

RetryPolicy quick_retries() {
  RetryPolicy retry;
  retry.max_retries = 2;
  retry.base = milliseconds(1);
  retry.cap = milliseconds(5);
  retry.budget.fraction = 1.0;  // the budget is not what this is about
  retry.budget.min_per_second = 100;
  return retry;
}

}  // namespace

// Retries above the breaker: a 503 is retried, and every attempt reaches the exchange while
// the breaker stays closed.
TEST(UpstreamStack, A5xxIsRetriedThroughAClosedBreaker) {
  FakeExchangeServer server;
  const auto route = server.get("/api/a", FakeResponse::json("ok"));
  server.script(route, {FakeResponse::text(503, "busy"), FakeResponse::text(503, "busy")});
  UpstreamStack stack({config_for(server)}, BreakerPolicy{}, quick_retries());
  CallContext context = CallContext::with_timeout(milliseconds(5000));
  const auto result = stack.upstream().send(get(server, "/api/a"), context);
  ASSERT_EQ(result.failure, UpstreamFailure::None) << result.message;
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(server.hits(route), 3u);
}

// The breaker below the retries: once the first failure opens it, the retries fail fast
// inside the host and never reach the exchange (stacked the other way round, all three
// attempts would).
TEST(UpstreamStack, RetriesIntoAnOpenBreakerNeverReachTheExchange) {
  FakeExchangeServer server;
  const auto route = server.get("/api/a", FakeResponse::text(503, "down"));
  BreakerPolicy breaker;
  breaker.failure_threshold = 1;
  breaker.cool_down = milliseconds(60'000);
  UpstreamStack stack({config_for(server)}, breaker, quick_retries());
  CallContext context = CallContext::with_timeout(milliseconds(5000));
  const auto result = stack.upstream().send(get(server, "/api/a"), context);
  EXPECT_NE(result.failure, UpstreamFailure::None);
  EXPECT_EQ(server.hits(route), 1u);
  CallContext later = CallContext::with_timeout(milliseconds(5000));
  EXPECT_EQ(stack.upstream().send(get(server, "/api/a"), later).failure, UpstreamFailure::CircuitOpen);
  EXPECT_EQ(server.hits(route), 1u);
}
