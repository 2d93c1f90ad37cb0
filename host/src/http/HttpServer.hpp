// The platform's HTTP server: Poco 1.11 TCPServer + HTTPServerConnection with our own
// thread pool, parameters, connection tracking and request pipeline.
//
// - Explicit Poco::ThreadPool (capacity = threads) and HTTPServerParams (threads, queue,
//   receive and keep-alive timeouts, keep-alive request cap): Poco's defaults (16 threads,
//   backlog 64, 60 s per recv) fall over under load and slowloris (RELIABILITY.md H3).
// - No Server header (setSoftwareVersion is never called).
// - A reaper thread enforces the request-head deadline (keep-alive + receive timeout) and
//   the body deadline (receive timeout) that Poco's per-recv timeout cannot.
// - stop() drains (H10): new connections are refused, idle keep-alive connections are
//   closed, responses in flight finish with "Connection: close", and only then is Poco's
//   TCPServer stopped (its stop() alone drops queued connections and waits for nothing).
//   Connections still busy at drain_timeout are shut down.
// - start() ignores SIGPIPE for the process: a client that disconnects mid-response must
//   cost one failed write, not the process.
#pragma once

#include <cstdint>
#include <memory>

#include "Authenticator.hpp"
#include "HttpServerConfig.hpp"
#include "Router.hpp"

namespace mdp::http {

class HttpServer {
 public:
  // Throws std::invalid_argument listing every configuration problem, or for a null router.
  // Routes with a required scope need `authenticator`; without one they answer 500.
  HttpServer(HttpServerConfig config, std::shared_ptr<const Router> router,
             std::shared_ptr<Authenticator> authenticator = nullptr);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds host:port and starts serving. Throws (Poco::Exception / std::runtime_error) if
  // the address cannot be bound. At most once per object.
  void start();
  // The bound port (the ephemeral one when configured with 0). Valid after start().
  std::uint16_t port() const;
  // Graceful stop with the configured drain_timeout; idempotent. Called by the destructor.
  void stop();

  bool running() const noexcept;
  // Connections currently being served (not counting ones still queued).
  int current_connections() const;
  const HttpServerConfig& config() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mdp::http
