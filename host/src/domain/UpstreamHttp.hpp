// What the host's network layer offers plugins: one blocking HTTP exchange with an
// exchange, subject to that exchange's allowlist, timeouts, size cap and rate budget.
// Implemented by net/HttpTransport; used by plugins/PluginAdapter (the host side of
// mdp_host_api.http_send).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "CallContext.hpp"

namespace mdp::domain {

struct UpstreamRequest {
  std::string exchange;  // plugin id: selects allowlist and rate budget
  std::string method;    // GET or POST
  std::string url;       // absolute
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::int32_t weight = 1;  // cost against the exchange's budget
};

struct UpstreamResponse {
  std::int32_t status = 0;
  std::string body;
  std::string content_type;
  std::int64_t retry_after_ms = -1;  // parsed Retry-After (seconds or HTTP-date), -1 absent
  std::vector<std::pair<std::string, std::string>> headers;
};

enum class UpstreamFailure {
  None,           // a response arrived (any status)
  NotAllowed,     // URL outside the exchange's configured base URLs, or bad method
  ConnectFailed,  // DNS/connect/TLS failure
  Timeout,        // connect or read deadline passed
  ReadFailed,     // connection reset or closed mid-response
  TooLarge,       // body above the configured cap
  Cancelled,      // the call was cancelled (shutdown, caller deadline)
  RateLimited,    // the exchange's budget is exhausted or suspended (418/429 ban window)
  CircuitOpen,    // not sent: the exchange's circuit breaker is open after repeated failures
};

struct UpstreamResult {
  UpstreamFailure failure = UpstreamFailure::None;
  std::string message;               // for failures: short, safe for logs
  std::int64_t retry_after_ms = -1;  // for RateLimited/CircuitOpen: when to try again
  UpstreamResponse response;         // valid when failure == None
};

class UpstreamHttp {
 public:
  virtual ~UpstreamHttp() = default;
  virtual UpstreamResult send(const UpstreamRequest& request, const CallContext& context) = 0;
};

}  // namespace mdp::domain
