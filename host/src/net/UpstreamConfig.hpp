// Per-exchange settings for HttpTransport: where a plugin may go, how long it may take, how
// much it may read and how fast it may ask. Built by the composition root from the host
// configuration (and the plugin's declared base URLs).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "Clock.hpp"
#include "RateBudget.hpp"

namespace mdp::net {

struct UpstreamConfig {
  std::string exchange;  // plugin id, e.g. "binance_futures"
  // Absolute base URLs: scheme + host + optional port + path prefix, e.g.
  // "https://fapi.binance.com/fapi/". A request URL must lie inside one of them.
  std::vector<std::string> allowed_base_urls;
  std::chrono::milliseconds connect_timeout{3'000};
  // Total time for one request (connect + send + whole response); the effective deadline
  // is the earlier of this and the caller's CallContext deadline.
  std::chrono::milliseconds read_timeout{10'000};
  // 8 MiB: ten times the largest real page (Binance futures exchangeInfo, ~0.9 MB);
  // RELIABILITY.md U9.
  std::size_t max_response_bytes = 8u * 1024u * 1024u;
  // Redirects are never followed: a 3xx comes back as a response. Only 0 is accepted.
  int max_redirects = 0;
  std::string user_agent = "mdp-host/0.1";
  // Idle keep-alive connections kept per (scheme, host, port); 0 disables reuse.
  std::size_t keep_alive_pool_size = 4;
  // An idle pooled connection older than this is closed instead of reused.
  std::chrono::milliseconds keep_alive_idle_timeout{15'000};
  RateBudgetConfig rate;
  // Optional: use this budget (e.g. shared by several transports) instead of creating one
  // from `rate`.
  std::shared_ptr<RateBudget> shared_budget;
};

struct TransportOptions {
  // Trusted CAs for HTTPS (a directory of hashed certificates or a PEM bundle file).
  std::string ca_location = "/etc/ssl/certs";
  // Time source for budgets and Retry-After dates; the system clock when null.
  std::shared_ptr<const Clock> clock;
  // Longest single blocking socket wait, so a cancelled call is noticed within this time.
  std::chrono::milliseconds poll_slice{200};
};

}  // namespace mdp::net
