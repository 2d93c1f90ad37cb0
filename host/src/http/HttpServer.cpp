#include "HttpServer.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include "ConnectionRegistry.hpp"
#include "DrainingConnectionFilter.hpp"
#include "RequestPipelineContext.hpp"
#include "RequestPipelineFactory.hpp"
#include "TrackedConnectionFactory.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define MDP_LEAK_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MDP_LEAK_SANITIZER 1
#endif
#endif
#ifdef MDP_LEAK_SANITIZER
#include <sanitizer/lsan_interface.h>
#endif

namespace mdp::http {

namespace {

// Gives up ownership on purpose (threads stuck past shutdown still use the object) and tells
// LeakSanitizer so, so a deliberate abandonment is not reported as a leak.
template <typename T>
void abandon(T* object) noexcept {
#ifdef MDP_LEAK_SANITIZER
  __lsan_ignore_object(object);
#endif
  static_cast<void>(object);
}

using Clock = std::chrono::steady_clock;

Poco::Timespan to_timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    if (!text.empty()) text.append("; ");
    text.append(line);
  }
  return text;
}

template <typename Predicate>
bool wait_until(Clock::time_point deadline, Predicate done) {
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace

struct HttpServer::Impl {
  HttpServerConfig config;
  std::shared_ptr<const Router> router;
  std::shared_ptr<Authenticator> authenticator;
  Poco::Logger& log = Poco::Logger::get("http");
  std::shared_ptr<ConnectionRegistry> registry;
  std::shared_ptr<RequestPipelineContext> context;
  // Declared before the server: the server's threads come from this pool, so it must be
  // destroyed after the server.
  std::unique_ptr<Poco::ThreadPool> pool;
  Poco::Net::ServerSocket socket;
  std::unique_ptr<Poco::Net::TCPServer> server;
  std::atomic<bool> running{false};
  bool started = false;

  std::thread reaper;
  std::mutex reaper_mutex;
  std::condition_variable reaper_wake;
  bool reaper_stop = false;

  void run_reaper();
  void stop_reaper();
};

void HttpServer::Impl::run_reaper() {
  // Check often enough that a deadline is overshot by at most a quarter of the shorter
  // timeout (tests use short ones), but never spin.
  const auto shorter = std::min(config.receive_timeout, config.keep_alive_timeout);
  const auto period = std::clamp(shorter / 4, std::chrono::milliseconds(20), std::chrono::milliseconds(500));
  std::unique_lock<std::mutex> lock(reaper_mutex);
  while (!reaper_stop) {
    reaper_wake.wait_for(lock, period);
    if (reaper_stop) break;
    lock.unlock();
    try {
      registry->reap(Clock::now());
    } catch (...) {
    }
    lock.lock();
  }
}

void HttpServer::Impl::stop_reaper() {
  {
    std::lock_guard<std::mutex> lock(reaper_mutex);
    reaper_stop = true;
  }
  reaper_wake.notify_all();
  if (reaper.joinable()) reaper.join();
}

HttpServer::HttpServer(HttpServerConfig config, std::shared_ptr<const Router> router,
                       std::shared_ptr<Authenticator> authenticator)
    : impl_(std::make_unique<Impl>()) {
  const std::vector<std::string> errors = config.validate();
  if (!errors.empty()) throw std::invalid_argument("invalid HTTP server configuration: " + join(errors));
  if (!router) throw std::invalid_argument("HttpServer needs a router");
  impl_->config = std::move(config);
  impl_->router = std::move(router);
  impl_->authenticator = std::move(authenticator);
}

HttpServer::~HttpServer() {
  try {
    stop();
  } catch (...) {
  }
  if (impl_->pool) {
    // Threads still busy after stop() belong to handlers that ignored the shutdown of
    // their socket (e.g. stuck in a plugin call). Waiting for them would hang the exit, so
    // the pool is deliberately leaked; the process is going away.
    const bool idle = wait_until(Clock::now() + std::chrono::seconds(1), [this] { return impl_->pool->used() == 0; });
    if (!idle) {
      impl_->log.error("HTTP server: threads still busy after stop; abandoning them");
      abandon(impl_->server.release());
      abandon(impl_->pool.release());
    }
  }
}

void HttpServer::start() {
  Impl& impl = *impl_;
  if (impl.started) throw std::logic_error("HttpServer::start called twice");
  impl.started = true;
  std::signal(SIGPIPE, SIG_IGN);

  const HttpServerConfig& config = impl.config;
  Poco::Logger& access_log = Poco::Logger::get("http.access");
  impl.registry = std::make_shared<ConnectionRegistry>(config.keep_alive_timeout + config.receive_timeout,
                                                       config.receive_timeout, access_log);
  RequestHeadLimits head_limits;
  head_limits.max_uri_bytes = config.max_uri_bytes;
  head_limits.max_header_bytes = config.max_header_bytes;
  head_limits.max_body_bytes = config.max_body_bytes;
  QueryLimits query_limits;
  query_limits.max_parameters = config.max_query_parameters;
  query_limits.max_value_bytes = config.max_query_value_bytes;
  std::optional<TokenBucketPolicy> rate_limit;
  if (config.rate_limit_per_minute > 0) rate_limit = TokenBucketPolicy{config.rate_limit_per_minute, config.rate_limit_burst};
  impl.context = std::make_shared<RequestPipelineContext>(
      impl.router, head_limits, query_limits, impl.registry, access_log, Poco::Logger::get("http.error"),
      config.max_in_flight > 0 ? config.max_in_flight : config.threads, impl.authenticator, rate_limit);

  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(config.threads);
  params->setMaxQueued(config.queue);
  params->setThreadIdleTime(Poco::Timespan(60, 0));
  params->setTimeout(to_timespan(config.receive_timeout));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(to_timespan(config.keep_alive_timeout));
  params->setMaxKeepAliveRequests(config.max_keep_alive_requests);

  impl.socket.bind(Poco::Net::SocketAddress(config.host, config.port), true);
  impl.socket.listen(config.queue);

  impl.pool = std::make_unique<Poco::ThreadPool>("http", std::min(2, config.threads), config.threads, 60);
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers = new RequestPipelineFactory(impl.context);
  Poco::Net::TCPServerConnectionFactory::Ptr connections =
      new TrackedConnectionFactory(params, handlers, impl.registry, to_timespan(config.receive_timeout), access_log);
  impl.server = std::make_unique<Poco::Net::TCPServer>(connections, *impl.pool, impl.socket, params);
  impl.server->setConnectionFilter(new DrainingConnectionFilter(impl.context));
  impl.server->start();
  impl.running = true;
  impl.reaper = std::thread([&impl] { impl.run_reaper(); });
  impl.log.information("HTTP server listening on " + impl.socket.address().toString());
}

std::uint16_t HttpServer::port() const {
  if (!impl_->started) throw std::logic_error("HttpServer::port before start");
  return impl_->socket.address().port();
}

void HttpServer::stop() {
  Impl& impl = *impl_;
  if (!impl.running.exchange(false)) return;
  const Clock::time_point deadline = Clock::now() + impl.config.drain_timeout;
  impl.context->draining = true;

  const auto drained = [&impl] {
    impl.registry->close_idle();
    return impl.registry->size() == 0 && impl.server->currentConnections() == 0 &&
           impl.server->queuedConnections() == 0;
  };
  if (!wait_until(deadline, drained)) {
    const std::size_t cut = impl.registry->close_all();
    impl.log.warning("HTTP server: drain deadline passed; shut down " + std::to_string(cut) + " connection(s)");
    wait_until(Clock::now() + std::chrono::seconds(1), [&impl] {
      return impl.registry->size() == 0 && impl.server->currentConnections() == 0;
    });
  }
  impl.server->stop();
  try {
    impl.socket.close();
  } catch (...) {
  }
  impl.stop_reaper();
  impl.log.information("HTTP server stopped");
}

bool HttpServer::running() const noexcept { return impl_->running.load(); }

int HttpServer::current_connections() const { return impl_->server ? impl_->server->currentConnections() : 0; }

const HttpServerConfig& HttpServer::config() const noexcept { return impl_->config; }

}  // namespace mdp::http
