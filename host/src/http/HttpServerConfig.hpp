// Everything the HTTP server needs to know, with production defaults. Poco's own defaults
// are unsafe for us (16 threads, backlog 64, 60 s per-recv timeout, unlimited keep-alive:
// RELIABILITY.md §3.1), so every value here is set explicitly on the server.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mdp::http {

struct HttpServerConfig {
  std::string host = "127.0.0.1";  // "0.0.0.0" to listen on every interface
  std::uint16_t port = 8080;       // 0 = ephemeral (tests); HttpServer::port() tells which
  // One thread serves one connection at a time (Poco is thread-per-connection), so this
  // caps concurrent connections being served; the rest wait in the queue.
  int threads = 64;
  // Accepted connections waiting for a thread, and the listen backlog. Poco resets
  // connections beyond it without an answer, so keep it generous.
  int queue = 256;
  // Longest wait for any single recv while reading a request; a connection that has not
  // delivered a complete request head within keep_alive_timeout + receive_timeout is
  // answered 408 and closed, however it trickles (slowloris bound). Also the send timeout.
  std::chrono::milliseconds receive_timeout{10'000};
  // Idle time allowed between requests on a keep-alive connection.
  std::chrono::milliseconds keep_alive_timeout{5'000};
  // Requests per connection before we close it (0 = unlimited).
  int max_keep_alive_requests = 1000;
  // Request limits, enforced before routing (RequestHeadValidator).
  std::size_t max_uri_bytes = 2048;
  std::size_t max_header_bytes = 16 * 1024;  // sum over fields of name + value + 4
  std::size_t max_body_bytes = 8 * 1024;
  // Query-string limits (QueryParser).
  std::size_t max_query_parameters = 32;
  std::size_t max_query_value_bytes = 1024;
  // Requests produced at once before new ones are answered 503 + Retry-After and closed
  // (RELIABILITY.md H5); 0 = threads. Below `threads`, the spare threads answer 503 fast.
  int max_in_flight = 0;
  // Per-client rate limit on routes with a required scope (token bucket keyed by the
  // token's client id, AuthorizationStage); 0 = no limit.
  std::int64_t rate_limit_per_minute = 0;
  std::int64_t rate_limit_burst = 1;
  // stop(): how long in-flight requests may take to finish before connections are cut.
  std::chrono::milliseconds drain_timeout{10'000};

  // Every problem with this configuration, one message each; empty when valid.
  std::vector<std::string> validate() const;
};

}  // namespace mdp::http
