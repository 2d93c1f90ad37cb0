// A scripted stand-in for an exchange's REST API, for tests and offline runs
// (RELIABILITY.md §5.2: every upstream check runs against it on 127.0.0.1).
//
// A Poco HTTPServer bound to a loopback address (port 0 by default, the bound port is
// reported) with its own thread pool. Routes match on method + exact path, optionally on
// exact query parameters and on JSON body fields (dotted paths such as "req.coin", for
// Hyperliquid's POST /info). A route answers, in this order: its scripted responses (each
// served once, FIFO), else its generator callback, else its default response. Every
// response can carry faults: delays before the headers or mid-body, a trickled body, a body
// cut short (FIN) or reset (RST), no response at all, an oversize generated body, a wrong
// content type, an HTML error page. Every request is logged (method, path, query, headers,
// body, time, peer, matched route) before it is answered, so tests can assert "0 requests
// made" or "the second request came ≥ 3 s after the first".
//
// Thread-safe: tests may add routes and read the log while the server is serving.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mdp::fake {

using Headers = std::vector<std::pair<std::string, std::string>>;

// One answer. Faults are fields; the builders cover the common shapes.
struct FakeResponse {
  int status = 200;
  std::string content_type = "application/json";  // empty: no Content-Type header
  Headers headers;                                 // added as given (duplicates allowed)
  std::string body;

  bool chunked = false;     // Transfer-Encoding: chunked instead of Content-Length
  bool keep_alive = true;   // false: "Connection: close" and the server closes afterwards

  // Faults.
  std::chrono::milliseconds delay_before_headers{0};
  std::chrono::milliseconds delay_mid_body{0};  // pause after `mid_body_at` body bytes
  std::int64_t mid_body_at = -1;                // -1: half of the body
  std::int64_t trickle_bytes = 0;               // >0: send the body this many bytes at a time...
  std::chrono::milliseconds trickle_interval{0};  // ...with this pause between pieces
  std::int64_t truncate_after = -1;  // send only this many body bytes, then close (FIN)
  std::int64_t reset_after = -1;     // send this many body bytes, then reset (RST)
  bool reset = false;                // reset the connection instead of answering
  bool drop = false;                 // close the connection (FIN) instead of answering
  std::int64_t oversize_bytes = -1;  // replace the body by a generated JSON string this long

  // Builders.
  static FakeResponse json(std::string body, int status = 200);
  static FakeResponse text(int status, std::string body, std::string content_type = "text/plain");
  // The kind of page a CDN or proxy sends instead of JSON (status 502 by default).
  static FakeResponse html_error_page(int status = 502);
  // Body read from a file now; throws std::runtime_error when unreadable.
  static FakeResponse file(const std::string& path, int status = 200,
                           std::string content_type = "application/json");
  static FakeResponse reset_connection();
  static FakeResponse drop_connection();

  FakeResponse& with_header(std::string name, std::string value);
  FakeResponse& with_retry_after(std::string value);  // "1" or an HTTP-date
  FakeResponse& with_content_type(std::string type);
  FakeResponse& with_delay(std::chrono::milliseconds before_headers);
  FakeResponse& with_mid_body_delay(std::chrono::milliseconds pause, std::int64_t after_bytes = -1);
  FakeResponse& with_trickle(std::int64_t bytes, std::chrono::milliseconds interval);
  FakeResponse& with_truncation(std::int64_t after_bytes);
  FakeResponse& with_reset_after(std::int64_t after_bytes);
  FakeResponse& with_oversize_body(std::int64_t bytes);
  FakeResponse& with_chunked(bool on = true);
  FakeResponse& with_close();
};

struct RecordedRequest {
  std::string method;
  std::string path;   // decoded
  std::string query;  // raw, without '?'
  std::vector<std::pair<std::string, std::string>> query_params;  // decoded, in order
  Headers headers;    // names lower-cased
  std::string body;
  std::int64_t unix_ms = 0;
  std::chrono::steady_clock::time_point received_at{};
  std::string peer;   // "127.0.0.1:PORT": one value per client connection
  int route = -1;     // RouteId that answered, -1 when none matched (404)

  // First value of a query parameter / header (lower-case name), or nullopt.
  std::optional<std::string> param(std::string_view name) const;
  std::optional<std::string> header(std::string_view lower_name) const;
};

struct RouteMatch {
  std::string method = "GET";
  std::string path;  // exact, decoded
  // Each must be present with exactly this (decoded) value; other parameters are ignored.
  std::vector<std::pair<std::string, std::string>> query;
  // Dotted JSON paths into the request body and the expected value: strings compare as
  // text, numbers/booleans/null by their JSON text ("1712192400000", "true").
  std::vector<std::pair<std::string, std::string>> body;
};

using Generator = std::function<FakeResponse(const RecordedRequest&)>;
using RouteId = int;

class FakeExchangeServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";  // must be a loopback address ("localhost" allowed)
    std::uint16_t port = 0;          // 0: any free port, see port()
    int threads = 8;                 // connections served at once
    std::chrono::milliseconds keep_alive_timeout{5'000};  // idle keep-alive connections closed after this
    std::chrono::milliseconds socket_timeout{10'000};     // per-recv timeout while reading requests
    std::size_t max_request_body = 1024 * 1024;           // larger bodies get 413
    std::size_t max_log_entries = 100'000;                // oldest entries dropped beyond this
    // HTTPS: PEM files of the server certificate (chain) and its private key. Both empty:
    // plain HTTP. Lets tests exercise certificate and host-name verification on loopback.
    std::string tls_certificate_file;
    std::string tls_private_key_file;
  };

  // Binds and starts serving. Throws std::invalid_argument for a non-loopback host and
  // std::runtime_error when the address cannot be bound.
  FakeExchangeServer();
  explicit FakeExchangeServer(Options options);
  ~FakeExchangeServer();
  FakeExchangeServer(const FakeExchangeServer&) = delete;
  FakeExchangeServer& operator=(const FakeExchangeServer&) = delete;

  // Stops accepting, aborts open connections and interrupts delays. Idempotent.
  void stop();

  std::uint16_t port() const noexcept;
  std::string host() const;
  std::string base_url() const;                       // "http://127.0.0.1:PORT" (https with TLS)
  std::string url(std::string_view path_and_query) const;  // base_url() + path_and_query

  // Routes. When several match, the one with the most query/body conditions wins; ties go
  // to the route added first.
  RouteId add_route(RouteMatch match, FakeResponse response);
  RouteId add_route(RouteMatch match, Generator generator);
  RouteId get(std::string path, FakeResponse response);
  RouteId post(std::string path, FakeResponse response);
  // Responses served once each, in order, before the route falls back to its generator or
  // default; replaces what is still pending.
  void script(RouteId route, std::vector<FakeResponse> sequence);
  void enqueue(RouteId route, FakeResponse response);
  void set_default(RouteId route, FakeResponse response);
  void set_generator(RouteId route, Generator generator);
  // Adds the routes of DIR/routes.json (format in tools/fake-exchange/README.md); returns how
  // many. Throws std::runtime_error naming the problem.
  std::size_t load_dir(const std::string& dir);

  // Request log.
  std::vector<RecordedRequest> requests() const;
  std::vector<RecordedRequest> requests(RouteId route) const;
  std::size_t request_count() const;
  std::size_t hits(RouteId route) const;
  void clear_requests();
  // Blocks until at least `count` requests were logged or `timeout` passed.
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;
  // TCP connections accepted since start (keep-alive reuse shows as fewer connections).
  std::uint64_t connections_accepted() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace mdp::fake
