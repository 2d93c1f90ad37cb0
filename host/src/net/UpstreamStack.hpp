// What plugins call for exchange HTTP: the transport, a circuit breaker per exchange on it,
// and budgeted 5xx retries on top — built in that order in one place, so mdp-host and the
// test hosts cannot drift apart. The breaker sits below the retries so every attempt counts
// for it and a retry into an open breaker fails fast instead of reaching the exchange.
// Members are declared in build order: destruction runs top-down, never leaving a layer
// pointing at a destroyed one.
#pragma once

#include <vector>

#include "CircuitBreaker.hpp"
#include "HttpTransport.hpp"
#include "RetryingUpstream.hpp"
#include "UpstreamConfig.hpp"

namespace mdp::net {

class UpstreamStack {
 public:
  // Throws std::invalid_argument for a bad upstream configuration (as HttpTransport).
  UpstreamStack(std::vector<UpstreamConfig> upstreams, BreakerPolicy breaker, RetryPolicy retry,
                TransportOptions transport = {});
  UpstreamStack(const UpstreamStack&) = delete;
  UpstreamStack& operator=(const UpstreamStack&) = delete;

  domain::UpstreamHttp& upstream() { return retrying_; }  // the top: what plugins get

 private:
  HttpTransport transport_;
  CircuitBreaker breaker_;
  RetryingUpstream retrying_;
};

}  // namespace mdp::net
