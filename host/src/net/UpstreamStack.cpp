#include "UpstreamStack.hpp"

#include <utility>

namespace mdp::net {

UpstreamStack::UpstreamStack(std::vector<UpstreamConfig> upstreams, BreakerPolicy breaker, RetryPolicy retry,
                             TransportOptions transport)
    : transport_(std::move(upstreams), std::move(transport)),
      breaker_(transport_, std::move(breaker)),
      retrying_(breaker_, std::move(retry)) {}

}  // namespace mdp::net
