// The host's only way to the exchanges (DESIGN.md: "HttpTransport: allowlist, timeouts,
// caps, rate budget, retry/Retry-After"). One instance per process, created by the
// composition root and shared by every caller, so each exchange has one rate budget and
// one connection pool.
//
// send() never throws and never follows redirects. Per request: exchange known → method and
// headers valid → URL inside the allowlist → not cancelled → 418 ban not in effect → rate
// budget granted (waiting at most until the caller's deadline) → pooled keep-alive
// connection or a new one (connect timeout) → request → whole response read before one
// deadline (min(read_timeout, caller's remaining time)) and under the size cap. A pooled
// connection that turns out stale (closed before sending anything back) is replaced once.
// 429/418 responses and the exchange's used-weight header feed the budget. Failure messages
// are short and never contain response bodies.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "RateBudget.hpp"
#include "UpstreamConfig.hpp"
#include "UpstreamHttp.hpp"

namespace mdp::net {

struct TransportStats {
  std::uint64_t requests = 0;             // send() calls that reached the network stage
  std::uint64_t connections_opened = 0;   // new TCP (and TLS) connections
  std::uint64_t connections_reused = 0;   // requests served on a pooled connection
  std::uint64_t stale_discarded = 0;      // pooled connections found closed before use
  std::uint64_t stale_retries = 0;        // requests repeated once after a pooled connection died
};

class HttpTransport final : public domain::UpstreamHttp {
 public:
  // Throws std::invalid_argument for an invalid configuration (bad base URL, duplicate
  // exchange, max_redirects != 0, zero timeouts or cap).
  explicit HttpTransport(std::vector<UpstreamConfig> configs, TransportOptions options = {});
  ~HttpTransport() override;
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  domain::UpstreamResult send(const domain::UpstreamRequest& request,
                              const domain::CallContext& context) override;

  // The exchange's budget (nullptr for an unknown exchange), e.g. to set the limit read
  // from exchangeInfo or to report it on /v1/exchanges.
  std::shared_ptr<RateBudget> budget(const std::string& exchange) const;
  TransportStats stats(const std::string& exchange) const;
  std::size_t idle_connections(const std::string& exchange) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mdp::net
