#include "FakeExchangeServer.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "FakeExchangeServerInternal.hpp"

namespace mdp::fake {
namespace {

using std::chrono::milliseconds;

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return s;
}

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The JSON text of a scalar at a dotted path ("req.coin", "items.0.id"), or nullopt.
std::optional<std::string> json_at(const Poco::Dynamic::Var& root, const std::string& dotted) {
  Poco::Dynamic::Var current = root;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const auto dot = std::min(dotted.find('.', start), dotted.size());
    const std::string key = dotted.substr(start, dot - start);
    if (current.type() == typeid(Poco::JSON::Object::Ptr)) {
      const auto object = current.extract<Poco::JSON::Object::Ptr>();
      if (!object || !object->has(key)) return std::nullopt;
      current = object->get(key);
    } else if (current.type() == typeid(Poco::JSON::Array::Ptr)) {
      const auto array = current.extract<Poco::JSON::Array::Ptr>();
      if (!array || key.empty() || !std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
      }
      const auto index = static_cast<unsigned>(std::stoul(key));
      if (index >= array->size()) return std::nullopt;
      current = array->get(index);
    } else {
      return std::nullopt;
    }
    start = dot + 1;
  }
  if (current.isEmpty()) return std::string("null");
  if (current.type() == typeid(Poco::JSON::Object::Ptr) || current.type() == typeid(Poco::JSON::Array::Ptr)) {
    return std::nullopt;
  }
  if (current.type() == typeid(bool)) return std::string(current.extract<bool>() ? "true" : "false");
  try {
    return current.convert<std::string>();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(FakeExchangeServer::Impl& impl) : impl_(impl) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

 private:
  FakeExchangeServer::Impl& impl_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(FakeExchangeServer::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(impl_);
  }

 private:
  FakeExchangeServer::Impl& impl_;
};

}  // namespace

struct Route {
  RouteMatch match;
  std::size_t specificity = 0;
  std::deque<FakeResponse> script;
  std::optional<FakeResponse> fallback;
  Generator generator;
  std::size_t hits = 0;
};

struct FakeExchangeServer::Impl {
  Options options;
  std::string host;
  std::uint16_t port = 0;
  bool tls = false;
  bool ssl_initialized = false;
  std::uint64_t connections_at_stop = 0;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;

  mutable std::mutex mutex;
  mutable std::condition_variable log_changed;
  std::vector<Route> routes;
  std::deque<RecordedRequest> log;

  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool stopping = false;
  bool stopped = false;

  ~Impl() {
    server.reset();
    pool.reset();
    if (ssl_initialized) Poco::Net::uninitializeSSL();
  }

  // Sleeps unless the server is stopping; false when interrupted.
  bool pause(milliseconds duration) {
    std::unique_lock<std::mutex> lock(stop_mutex);
    return !stop_cv.wait_for(lock, duration, [&] { return stopping; });
  }

  int match_locked(const RecordedRequest& request) const {
    std::optional<Poco::Dynamic::Var> json;
    bool json_tried = false;
    int best = -1;
    for (std::size_t i = 0; i < routes.size(); ++i) {
      const Route& route = routes[i];
      if (route.match.method != request.method || route.match.path != request.path) continue;
      bool ok = true;
      for (const auto& wanted : route.match.query) {  // no structured binding: C++17 lambdas can't capture one
        const auto found = std::find_if(request.query_params.begin(), request.query_params.end(),
                                        [&](const auto& p) { return p.first == wanted.first && p.second == wanted.second; });
        if (found == request.query_params.end()) {
          ok = false;
          break;
        }
      }
      if (ok && !route.match.body.empty()) {
        if (!json_tried) {
          json_tried = true;
          try {
            Poco::JSON::Parser parser;
            json = parser.parse(request.body);
          } catch (const Poco::Exception&) {
            json.reset();
          }
        }
        for (const auto& [path, value] : route.match.body) {
          if (!json || json_at(*json, path) != value) {
            ok = false;
            break;
          }
        }
      }
      if (ok && (best < 0 || route.specificity > routes[static_cast<std::size_t>(best)].specificity)) {
        best = static_cast<int>(i);
      }
    }
    return best;
  }

  void serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
             const FakeResponse& fake);
  void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
};

void FakeExchangeServer::Impl::serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                     const FakeResponse& fake) {
  Poco::Net::StreamSocket& socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
  if (fake.delay_before_headers.count() > 0 && !pause(fake.delay_before_headers)) return;
  if (fake.reset) {
    response.setKeepAlive(false);
    socket.setLinger(true, 0);
    socket.close();
    return;
  }
  if (fake.drop) {
    response.setKeepAlive(false);
    socket.shutdown();
    return;
  }

  const bool generated = fake.oversize_bytes >= 0;
  const std::int64_t total = generated ? fake.oversize_bytes : static_cast<std::int64_t>(fake.body.size());
  std::int64_t limit = total;
  const bool cut = fake.truncate_after >= 0;
  const bool rst = fake.reset_after >= 0;
  if (cut) limit = std::min(limit, fake.truncate_after);
  if (rst) limit = std::min(limit, fake.reset_after);

  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(fake.status));
  if (!fake.content_type.empty()) response.setContentType(fake.content_type);
  for (const auto& [name, value] : fake.headers) response.add(name, value);
  // Poco has already set keep-alive from the request ("Connection: close" wins).
  response.setKeepAlive(response.getKeepAlive() && fake.keep_alive && !cut && !rst);
  if (fake.chunked) {
    response.setChunkedTransferEncoding(true);
  } else {
    response.setContentLength64(static_cast<Poco::Int64>(total));
  }
  std::ostream& out = response.send();

  const std::int64_t pause_at =
      fake.delay_mid_body.count() > 0 ? (fake.mid_body_at >= 0 ? fake.mid_body_at : total / 2) : -1;
  const std::int64_t piece = fake.trickle_bytes > 0 ? fake.trickle_bytes : 64 * 1024;
  std::string chunk;
  std::int64_t offset = 0;
  while (offset < limit && out) {
    std::int64_t n = std::min(piece, limit - offset);
    if (pause_at > offset && pause_at < offset + n) n = pause_at - offset;
    if (generated) {
      chunk.assign(static_cast<std::size_t>(n), 'x');
      if (offset == 0) chunk.front() = '"';
      if (offset + n == total) chunk.back() = '"';
    } else {
      chunk.assign(fake.body, static_cast<std::size_t>(offset), static_cast<std::size_t>(n));
    }
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    offset += n;
    if (offset == pause_at) {
      out.flush();
      if (!pause(fake.delay_mid_body)) return;
    }
    if (fake.trickle_bytes > 0 && offset < limit) {
      out.flush();
      if (!pause(fake.trickle_interval)) return;
    }
  }
  out.flush();
  if (rst) {
    socket.setLinger(true, 0);
    socket.close();
  } else if (cut) {
    socket.shutdown();
  }
}

void FakeExchangeServer::Impl::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  RecordedRequest record;
  record.method = request.getMethod();
  record.received_at = std::chrono::steady_clock::now();
  record.unix_ms = unix_now_ms();
  try {
    record.peer = request.clientAddress().toString();
  } catch (const Poco::Exception&) {
  }
  try {
    const Poco::URI uri(request.getURI());
    record.path = uri.getPath();
    record.query = uri.getRawQuery();
    try {
      for (auto& param : uri.getQueryParameters()) record.query_params.push_back(std::move(param));
    } catch (const Poco::Exception&) {
      record.query_params.clear();
    }
  } catch (const Poco::Exception&) {
    record.path = request.getURI();
  }
  for (const auto& [name, value] : request) record.headers.emplace_back(lower(name), value);

  bool too_large = false;
  {
    std::istream& in = request.stream();
    char buffer[8192];
    while (in) {
      in.read(buffer, sizeof buffer);
      const auto n = static_cast<std::size_t>(in.gcount());
      if (n == 0) break;
      if (record.body.size() + n > options.max_request_body) {
        too_large = true;
        break;
      }
      record.body.append(buffer, n);
    }
  }

  FakeResponse answer;
  Generator generator;
  {
    std::lock_guard<std::mutex> lock(mutex);
    const int index = too_large ? -1 : match_locked(record);
    record.route = index;
    if (too_large) {
      answer = FakeResponse::json(R"({"error":"request body too large"})", 413);
      answer.keep_alive = false;
    } else if (index < 0) {
      answer = FakeResponse::json(R"({"error":"no fake route"})", 404);
    } else {
      Route& route = routes[static_cast<std::size_t>(index)];
      ++route.hits;
      if (!route.script.empty()) {
        answer = std::move(route.script.front());
        route.script.pop_front();
      } else if (route.generator) {
        generator = route.generator;
      } else if (route.fallback) {
        answer = *route.fallback;
      } else {
        answer = FakeResponse::json(R"({"error":"route has no response"})", 500);
      }
    }
    log.push_back(record);
    while (log.size() > options.max_log_entries) log.pop_front();
  }
  log_changed.notify_all();

  if (generator) {
    try {
      answer = generator(record);
    } catch (...) {
      answer = FakeResponse::json(R"({"error":"generator failed"})", 500);
    }
  }
  serve(request, response, answer);
}

namespace {

void Handler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  // Clients in fault tests hang up mid-response; a write to them (TLS writes included) must
  // not raise SIGPIPE in the test process. Only this server's pool threads are affected.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  try {
    impl_.handle(request, response);
  } catch (...) {
    // Never let an exception reach Poco (a std::exception would drop the connection silently).
    try {
      if (!response.sent()) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
        response.setContentType("application/json");
        response.setKeepAlive(false);
        response.send() << R"({"error":"fake server error"})";
      }
    } catch (...) {
    }
  }
}

}  // namespace

// --- FakeResponse ---------------------------------------------------------------------

FakeResponse FakeResponse::json(std::string body, int status) {
  FakeResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

FakeResponse FakeResponse::text(int status, std::string body, std::string content_type) {
  FakeResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

FakeResponse FakeResponse::html_error_page(int status) {
  return text(status,
              "<!DOCTYPE html>\n<html><head><title>" + std::to_string(status) +
                  " Bad Gateway</title></head>\n<body><center><h1>" + std::to_string(status) +
                  " Bad Gateway</h1></center><hr><center>cloudfront</center></body></html>\n",
              "text/html; charset=utf-8");
}

FakeResponse FakeResponse::file(const std::string& path, int status, std::string content_type) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read response file " + path);
  std::ostringstream content;
  content << in.rdbuf();
  FakeResponse r;
  r.status = status;
  r.body = content.str();
  r.content_type = std::move(content_type);
  return r;
}

FakeResponse FakeResponse::reset_connection() {
  FakeResponse r;
  r.reset = true;
  return r;
}

FakeResponse FakeResponse::drop_connection() {
  FakeResponse r;
  r.drop = true;
  return r;
}

FakeResponse& FakeResponse::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}
FakeResponse& FakeResponse::with_retry_after(std::string value) { return with_header("Retry-After", std::move(value)); }
FakeResponse& FakeResponse::with_content_type(std::string type) {
  content_type = std::move(type);
  return *this;
}
FakeResponse& FakeResponse::with_delay(milliseconds before_headers) {
  delay_before_headers = before_headers;
  return *this;
}
FakeResponse& FakeResponse::with_mid_body_delay(milliseconds pause, std::int64_t after_bytes) {
  delay_mid_body = pause;
  mid_body_at = after_bytes;
  return *this;
}
FakeResponse& FakeResponse::with_trickle(std::int64_t bytes, milliseconds interval) {
  trickle_bytes = bytes;
  trickle_interval = interval;
  return *this;
}
FakeResponse& FakeResponse::with_truncation(std::int64_t after_bytes) {
  truncate_after = after_bytes;
  return *this;
}
FakeResponse& FakeResponse::with_reset_after(std::int64_t after_bytes) {
  reset_after = after_bytes;
  return *this;
}
FakeResponse& FakeResponse::with_oversize_body(std::int64_t bytes) {
  oversize_bytes = bytes;
  return *this;
}
FakeResponse& FakeResponse::with_chunked(bool on) {
  chunked = on;
  return *this;
}
FakeResponse& FakeResponse::with_close() {
  keep_alive = false;
  return *this;
}

// --- RecordedRequest ------------------------------------------------------------------

std::optional<std::string> RecordedRequest::param(std::string_view name) const {
  for (const auto& [key, value] : query_params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::optional<std::string> RecordedRequest::header(std::string_view lower_name) const {
  for (const auto& [key, value] : headers) {
    if (key == lower_name) return value;
  }
  return std::nullopt;
}

// --- FakeExchangeServer ---------------------------------------------------------------

FakeExchangeServer::FakeExchangeServer() : FakeExchangeServer(Options{}) {}

FakeExchangeServer::FakeExchangeServer(Options options) : impl_(std::make_shared<Impl>()) {
  Impl& impl = *impl_;
  impl.options = std::move(options);
  std::string host = impl.options.host == "localhost" ? std::string("127.0.0.1") : impl.options.host;
  Poco::Net::IPAddress address;
  if (!Poco::Net::IPAddress::tryParse(host, address) || !address.isLoopback()) {
    throw std::invalid_argument("refusing to listen on '" + impl.options.host +
                                "': the fake exchange binds loopback addresses only");
  }
  if (impl.options.threads < 1) throw std::invalid_argument("threads must be at least 1");
  impl.host = address.toString();
  impl.tls = !impl.options.tls_certificate_file.empty() || !impl.options.tls_private_key_file.empty();
  try {
    Poco::Net::ServerSocket socket;
    const Poco::Net::SocketAddress bind_address(address, impl.options.port);
    if (impl.tls) {
      Poco::Net::initializeSSL();
      impl.ssl_initialized = true;
      Poco::Net::Context::Ptr context = new Poco::Net::Context(
          Poco::Net::Context::TLS_SERVER_USE, impl.options.tls_private_key_file, impl.options.tls_certificate_file,
          "", Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES");
      context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
      socket = Poco::Net::SecureServerSocket(bind_address, 128, context);
    } else {
      socket = Poco::Net::ServerSocket(bind_address, 128);
    }
    impl.port = socket.address().port();
    impl.pool = std::make_unique<Poco::ThreadPool>(1, impl.options.threads, 10);
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(impl.options.threads);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(impl.options.keep_alive_timeout.count()) * 1000));
    params->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(impl.options.socket_timeout.count()) * 1000));
    params->setMaxKeepAliveRequests(0);
    // A dispatcher thread started just before stop() misses the stop wake-up and sleeps for
    // the idle time (default 10 s) before it notices; keep that short.
    params->setThreadIdleTime(Poco::Timespan(0, 100'000));
    params->setSoftwareVersion("mdp-fake-exchange");
    impl.server = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl), *impl.pool, socket, params);
    impl.server->start();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + impl.host + ":" + std::to_string(impl.options.port) + ": " +
                             e.displayText());
  }
}

FakeExchangeServer::~FakeExchangeServer() {
  try {
    stop();
  } catch (...) {
  }
}

void FakeExchangeServer::stop() {
  Impl& impl = *impl_;
  {
    std::lock_guard<std::mutex> lock(impl.stop_mutex);
    if (impl.stopped) return;
    impl.stopping = true;
    impl.stopped = true;
  }
  impl.stop_cv.notify_all();
  if (impl.server) {
    // Poco's accept loop polls the listener every 250 ms; connecting to it wakes the loop so
    // stop() returns at once instead of after that poll (tests create many servers).
    std::atomic<bool> stopped_accepting{false};
    std::thread waker([&] {
      while (!stopped_accepting.load()) {
        try {
          Poco::Net::StreamSocket poke;
          poke.connect(Poco::Net::SocketAddress(impl.host, impl.port), Poco::Timespan(100'000));
        } catch (...) {
        }
        std::this_thread::sleep_for(milliseconds(2));
      }
    });
    impl.server->stopAll(true);  // stop accepting and shut down open connections
    stopped_accepting = true;
    waker.join();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (impl.server->currentConnections() > 0 && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
  if (impl.pool) impl.pool->joinAll();
  if (impl.server) {
    // Destroying the server closes the listener: connects are refused from now on.
    std::lock_guard<std::mutex> lock(impl.stop_mutex);
    impl.connections_at_stop = static_cast<std::uint64_t>(impl.server->totalConnections());
    impl.server.reset();
  }
}

std::uint16_t FakeExchangeServer::port() const noexcept { return impl_->port; }
std::string FakeExchangeServer::host() const { return impl_->host; }

std::string FakeExchangeServer::base_url() const {
  const bool v6 = impl_->host.find(':') != std::string::npos;
  return std::string(impl_->tls ? "https://" : "http://") + (v6 ? "[" + impl_->host + "]" : impl_->host) + ":" +
         std::to_string(impl_->port);
}

std::string FakeExchangeServer::url(std::string_view path_and_query) const {
  return base_url() + std::string(path_and_query);
}

RouteId FakeExchangeServer::add_route(RouteMatch match, FakeResponse response) {
  Route route;
  route.specificity = match.query.size() + match.body.size();
  route.match = std::move(match);
  route.fallback = std::move(response);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->routes.push_back(std::move(route));
  return static_cast<RouteId>(impl_->routes.size() - 1);
}

RouteId FakeExchangeServer::add_route(RouteMatch match, Generator generator) {
  Route route;
  route.specificity = match.query.size() + match.body.size();
  route.match = std::move(match);
  route.generator = std::move(generator);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->routes.push_back(std::move(route));
  return static_cast<RouteId>(impl_->routes.size() - 1);
}

RouteId FakeExchangeServer::get(std::string path, FakeResponse response) {
  RouteMatch match;
  match.method = "GET";
  match.path = std::move(path);
  return add_route(std::move(match), std::move(response));
}

RouteId FakeExchangeServer::post(std::string path, FakeResponse response) {
  RouteMatch match;
  match.method = "POST";
  match.path = std::move(path);
  return add_route(std::move(match), std::move(response));
}

namespace {
Route& route_at(std::vector<Route>& routes, RouteId id) {
  if (id < 0 || static_cast<std::size_t>(id) >= routes.size()) throw std::out_of_range("unknown route id");
  return routes[static_cast<std::size_t>(id)];
}
}  // namespace

void FakeExchangeServer::script(RouteId route, std::vector<FakeResponse> sequence) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto& script = route_at(impl_->routes, route).script;
  script.assign(std::make_move_iterator(sequence.begin()), std::make_move_iterator(sequence.end()));
}

void FakeExchangeServer::enqueue(RouteId route, FakeResponse response) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  route_at(impl_->routes, route).script.push_back(std::move(response));
}

void FakeExchangeServer::set_default(RouteId route, FakeResponse response) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Route& r = route_at(impl_->routes, route);
  r.fallback = std::move(response);
  r.generator = nullptr;
}

void FakeExchangeServer::set_generator(RouteId route, Generator generator) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  route_at(impl_->routes, route).generator = std::move(generator);
}

std::size_t FakeExchangeServer::load_dir(const std::string& dir) {
  std::vector<ManifestRoute> loaded = load_manifest(dir);
  std::size_t count = 0;
  for (ManifestRoute& route : loaded) {
    const RouteId id = add_route(std::move(route.match), std::move(route.fallback));
    if (!route.script.empty()) script(id, std::move(route.script));
    ++count;
  }
  return count;
}

std::vector<RecordedRequest> FakeExchangeServer::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return {impl_->log.begin(), impl_->log.end()};
}

std::vector<RecordedRequest> FakeExchangeServer::requests(RouteId route) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::vector<RecordedRequest> out;
  for (const auto& r : impl_->log) {
    if (r.route == route) out.push_back(r);
  }
  return out;
}

std::size_t FakeExchangeServer::request_count() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->log.size();
}

std::size_t FakeExchangeServer::hits(RouteId route) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (route < 0 || static_cast<std::size_t>(route) >= impl_->routes.size()) return 0;
  return impl_->routes[static_cast<std::size_t>(route)].hits;
}

void FakeExchangeServer::clear_requests() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->log.clear();
  for (auto& route : impl_->routes) route.hits = 0;
}

bool FakeExchangeServer::wait_for_requests(std::size_t count, milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  return impl_->log_changed.wait_for(lock, timeout, [&] { return impl_->log.size() >= count; });
}

std::uint64_t FakeExchangeServer::connections_accepted() const {
  std::lock_guard<std::mutex> lock(impl_->stop_mutex);
  if (!impl_->server) return impl_->connections_at_stop;
  return static_cast<std::uint64_t>(impl_->server->totalConnections());
}

}  // namespace mdp::fake
