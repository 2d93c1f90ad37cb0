#include "HttpTransport.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/Socket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <map>
#include <mutex>
#include <ostream>
#include <stdexcept>
#include <utility>

#include "ResponseReader.hpp"
#include "RetryAfter.hpp"
#include "UrlAllowlist.hpp"

namespace mdp::net {
namespace {

using domain::CallContext;
using domain::UpstreamFailure;
using domain::UpstreamRequest;
using domain::UpstreamResult;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr std::size_t kMaxRequestBody = 1024 * 1024;
constexpr std::size_t kMaxRequestHeaders = 64;
constexpr std::size_t kMaxRequestHeaderValue = 8192;

// Writing to a peer that has gone away raises SIGPIPE, which kills the process by default.
// Block it for this thread while we touch sockets and swallow one we caused; no process-wide
// signal disposition is changed.
class SigpipeGuard {
 public:
  SigpipeGuard() noexcept {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_, &old_) == 0;
  }
  ~SigpipeGuard() {
    if (!blocked_) return;
    if (!was_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec zero{0, 0};
        while (sigtimedwait(&pipe_, nullptr, &zero) == -1 && errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t old_{};
  bool was_pending_ = false;
  bool blocked_ = false;
};

UpstreamResult failure(UpstreamFailure kind, std::string message, std::int64_t retry_after_ms = -1) {
  UpstreamResult result;
  result.failure = kind;
  result.message = std::move(message);
  result.retry_after_ms = retry_after_ms;
  return result;
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return s;
}

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Request headers a plugin may not set: framing, routing and hop-by-hop fields are ours.
bool reserved_request_header(const std::string& lower_name) {
  static const char* const kReserved[] = {"host",       "content-length", "transfer-encoding", "connection",
                                          "keep-alive", "te",             "trailer",           "upgrade",
                                          "expect"};
  for (const char* name : kReserved) {
    if (lower_name == name) return true;
  }
  return lower_name.compare(0, 6, "proxy-") == 0;
}

std::optional<std::string> validate_request(const UpstreamRequest& request) {
  if (request.method != "GET" && request.method != "POST") return std::string("method not allowed");
  if (request.method == "GET" && !request.body.empty()) return std::string("GET request with a body");
  if (request.body.size() > kMaxRequestBody) return std::string("request body too large");
  if (request.weight < 0) return std::string("negative request weight");
  if (request.headers.size() > kMaxRequestHeaders) return std::string("too many request headers");
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || name.size() > 256 || !std::all_of(name.begin(), name.end(), is_tchar)) {
      return std::string("invalid request header name");
    }
    if (value.size() > kMaxRequestHeaderValue) return std::string("request header value too long");
    for (const char c : value) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f) return std::string("control character in request header");
    }
    if (reserved_request_header(lower(name))) return std::string("request header not allowed: " + lower(name));
  }
  return std::nullopt;
}

// Reads from a connected socket with one deadline for the whole response. Each blocking
// recv waits at most `slice`, so cancellation is seen promptly and a peer that trickles
// bytes cannot stretch the deadline the way Poco's per-recv timeout allows.
class SocketSource final : public ByteSource {
 public:
  SocketSource(Poco::Net::StreamSocket& socket, SteadyClock::time_point deadline, const CallContext& context,
               milliseconds slice, bool tls)
      : socket_(socket), deadline_(deadline), context_(context), slice_(slice), tls_(tls) {}

  std::size_t receive(char* buffer, std::size_t length) override {
    for (;;) {
      if (context_.cancelled() && !context_.expired()) {
        throw TransportError(UpstreamFailure::Cancelled, "cancelled while reading the response");
      }
      const auto now = SteadyClock::now();
      if (now >= deadline_) throw TransportError(UpstreamFailure::Timeout, "response deadline passed");
      // A TLS read may wait twice its timeout (see finish_handshake): halve it there.
      const auto left = duration_cast<microseconds>(deadline_ - now) / (tls_ ? 2 : 1);
      const auto wait = std::max(microseconds(1000), std::min(left, duration_cast<microseconds>(slice_)));
      try {
        socket_.setReceiveTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(wait.count())));
        const int n = socket_.receiveBytes(buffer, static_cast<int>(std::min<std::size_t>(length, INT_MAX)));
        if (n >= 0) return static_cast<std::size_t>(n);
      } catch (const Poco::TimeoutException&) {
        // slice over: loop to check the deadline and cancellation
      } catch (const Poco::Net::ConnectionResetException&) {
        throw TransportError(UpstreamFailure::ReadFailed, "connection reset by peer");
      } catch (const Poco::Exception& e) {
        throw TransportError(UpstreamFailure::ReadFailed, std::string("receive failed (") + e.name() + ")");
      }
    }
  }

 private:
  Poco::Net::StreamSocket& socket_;
  SteadyClock::time_point deadline_;
  const CallContext& context_;
  milliseconds slice_;
  bool tls_;
};

// Exposes the protected connect step so a connect failure is told apart from a send failure.
template <class Base>
class OpenableSession final : public Base {
 public:
  using Base::Base;
  void open() { this->reconnect(); }
};
using PlainSession = OpenableSession<Poco::Net::HTTPClientSession>;
using TlsSession = OpenableSession<Poco::Net::HTTPSClientSession>;

struct PooledSession {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  SteadyClock::time_point idle_since{};
};

struct ExchangeState {
  UpstreamConfig config;
  std::vector<BaseUrl> bases;
  std::shared_ptr<RateBudget> budget;
  std::string used_weight_header;  // lower case

  mutable std::mutex mutex;
  std::map<std::string, std::vector<PooledSession>> idle;  // key: scheme://host:port
  TransportStats stats;
};

milliseconds until(SteadyClock::time_point deadline) {
  const auto left = duration_cast<milliseconds>(deadline - SteadyClock::now());
  return left.count() > 0 ? left : milliseconds(0);
}

Poco::Timespan timespan(milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(std::max<std::int64_t>(ms.count(), 1)) * 1000);
}

std::optional<std::int64_t> parse_weight(const std::string& text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// How one attempt on one connection ended.
struct Attempt {
  UpstreamResult result;
  bool reached_exchange = false;  // something may have been delivered to the exchange
  bool stale = false;             // reused connection died before answering: retry once
  std::unique_ptr<Poco::Net::HTTPClientSession> reusable;  // give back to the pool
};

}  // namespace

struct HttpTransport::Impl {
  TransportOptions options;
  std::shared_ptr<const Clock> clock;
  // One strict client context per HTTPS host, with the host name pinned in OpenSSL's own
  // verification parameters: the name is checked inside the handshake, whenever it ends.
  std::map<std::string, Poco::Net::Context::Ptr> tls_contexts;
  bool ssl_initialized = false;
  std::map<std::string, std::unique_ptr<ExchangeState>> exchanges;

  ~Impl() {
    SigpipeGuard guard;  // closing a TLS session writes close_notify
    exchanges.clear();   // close pooled sessions before OpenSSL goes
    tls_contexts.clear();
    if (ssl_initialized) Poco::Net::uninitializeSSL();
  }

  ExchangeState* find(const std::string& exchange) const {
    const auto it = exchanges.find(exchange);
    return it == exchanges.end() ? nullptr : it->second.get();
  }

  std::unique_ptr<Poco::Net::HTTPClientSession> checkout(ExchangeState& ex, const std::string& key) {
    std::vector<PooledSession> expired;
    std::unique_ptr<Poco::Net::HTTPClientSession> found;
    {
      std::lock_guard<std::mutex> lock(ex.mutex);
      auto it = ex.idle.find(key);
      if (it != ex.idle.end()) {
        auto& list = it->second;
        const auto now = SteadyClock::now();
        while (!list.empty() && !found) {
          PooledSession candidate = std::move(list.back());
          list.pop_back();
          if (now - candidate.idle_since > ex.config.keep_alive_idle_timeout) {
            expired.push_back(std::move(candidate));
            continue;
          }
          found = std::move(candidate.session);
        }
      }
    }
    if (found && !found->secure()) {
      // An idle plain connection that is readable has been closed by the peer (or sent
      // junk). Not for TLS: a late TLS record (e.g. a TLS 1.3 session ticket) also makes
      // the socket readable; a dead TLS connection is caught by the stale retry instead.
      bool dead = false;
      try {
        dead = found->socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ | Poco::Net::Socket::SELECT_ERROR);
      } catch (const Poco::Exception&) {
        dead = true;
      }
      if (dead) {
        expired.push_back(PooledSession{std::move(found), {}});
        std::lock_guard<std::mutex> lock(ex.mutex);
        ++ex.stats.stale_discarded;
      }
    }
    SigpipeGuard guard;
    expired.clear();
    return found;
  }

  void checkin(ExchangeState& ex, const std::string& key, std::unique_ptr<Poco::Net::HTTPClientSession> session) {
    {
      std::lock_guard<std::mutex> lock(ex.mutex);
      auto& list = ex.idle[key];
      if (list.size() < ex.config.keep_alive_pool_size) {
        list.push_back(PooledSession{std::move(session), SteadyClock::now()});
        return;
      }
    }
    SigpipeGuard guard;
    session.reset();
  }

  std::unique_ptr<Poco::Net::HTTPClientSession> make_session(const AllowedUrl& url) {
    if (url.scheme == "https") {
      return std::make_unique<TlsSession>(url.host, url.port, tls_contexts.at(url.host));
    }
    return std::make_unique<PlainSession>(url.host, url.port);
  }

  void open(Poco::Net::HTTPClientSession& session, bool tls) {
    if (tls) {
      static_cast<TlsSession&>(session).open();
    } else {
      static_cast<PlainSession&>(session).open();
    }
  }

  // Poco 1.11 returns from a client connect whose handshake ran into the receive timeout
  // as if it had succeeded, and skips its host-name check then; the handshake would finish
  // later inside the first write. Finish it here, within the deadline, and check the name.
  // Each blocking TLS call may wait twice its socket timeout (a timed-out read, then Poco's
  // poll with the same timeout), so wait in slices of at most half the time left.
  static void finish_handshake(Poco::Net::HTTPClientSession& session, const std::string& host,
                               SteadyClock::time_point deadline, const CallContext& context, milliseconds slice) {
    Poco::Net::SecureStreamSocket secure(session.socket());
    for (;;) {
      if (context.cancelled() && !context.expired()) {
        throw TransportError(UpstreamFailure::Cancelled, "cancelled during the TLS handshake");
      }
      const milliseconds left = until(deadline);
      if (left.count() <= 0) throw Poco::TimeoutException("TLS handshake");
      secure.setReceiveTimeout(timespan(std::max(milliseconds(1), std::min(left / 2, slice))));
      secure.setSendTimeout(timespan(left));
      try {
        if (secure.completeHandshake() == 1) break;
      } catch (const Poco::TimeoutException&) {
        // slice over: check the deadline again
      }
    }
    if (!secure.havePeerCertificate()) throw Poco::Net::CertificateValidationException("no peer certificate");
    secure.verifyPeerCertificate(host);
  }

  Attempt attempt(ExchangeState& ex, const UpstreamRequest& request, const AllowedUrl& url,
                  const CallContext& context, SteadyClock::time_point deadline,
                  std::unique_ptr<Poco::Net::HTTPClientSession> session, bool reused) {
    Attempt out;
    const bool tls = url.scheme == "https";
    const milliseconds left = until(deadline);
    if (left.count() <= 0) {
      out.result = failure(UpstreamFailure::Timeout, "deadline passed before the request was sent");
      return out;
    }
    session->setKeepAlive(true);
    session->setKeepAliveTimeout(timespan(ex.config.keep_alive_idle_timeout + milliseconds(60'000)));
    session->setTimeout(timespan(std::min(ex.config.connect_timeout, left)), timespan(left), timespan(left));

    if (!reused) {
      try {
        open(*session, tls);
      } catch (const Poco::TimeoutException&) {
        out.result = failure(UpstreamFailure::Timeout, "connect timed out");
        return out;
      } catch (const Poco::Net::SSLException& e) {
        out.result = failure(UpstreamFailure::ConnectFailed, std::string("TLS handshake failed (") + e.name() + ")");
        return out;
      } catch (const Poco::Net::DNSException&) {
        out.result = failure(UpstreamFailure::ConnectFailed, "host name not resolved");
        return out;
      } catch (const Poco::Net::ConnectionRefusedException&) {
        out.result = failure(UpstreamFailure::ConnectFailed, "connection refused");
        return out;
      } catch (const Poco::Exception& e) {
        out.result = failure(UpstreamFailure::ConnectFailed, std::string("connect failed (") + e.name() + ")");
        return out;
      }
      if (tls) {
        try {
          finish_handshake(*session, url.host, deadline, context, options.poll_slice);
        } catch (const TransportError& e) {
          out.result = failure(e.failure(), e.what());
          return out;
        } catch (const Poco::TimeoutException&) {
          out.result = failure(UpstreamFailure::Timeout, "TLS handshake timed out");
          return out;
        } catch (const Poco::Exception& e) {
          out.result = failure(UpstreamFailure::ConnectFailed, std::string("TLS handshake failed (") + e.name() + ")");
          return out;
        }
      }
      std::lock_guard<std::mutex> lock(ex.mutex);
      ++ex.stats.connections_opened;
    } else {
      std::lock_guard<std::mutex> lock(ex.mutex);
      ++ex.stats.connections_reused;
    }

    const bool keep_alive = ex.config.keep_alive_pool_size > 0;
    Poco::Net::HTTPRequest http(request.method, url.target, Poco::Net::HTTPMessage::HTTP_1_1);
    http.setKeepAlive(keep_alive);
    bool has_content_type = false;
    for (const auto& [name, value] : request.headers) {
      if (lower(name) == "content-type") has_content_type = true;
      http.add(name, value);
    }
    http.erase("User-Agent");  // ours, whatever the plugin sent
    http.set("User-Agent", ex.config.user_agent);
    if (request.method == "POST") {
      http.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
      if (!has_content_type && !request.body.empty()) http.setContentType("application/json");
    }

    out.reached_exchange = true;
    try {
      std::ostream& body = session->sendRequest(http);
      if (!request.body.empty()) body.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
      body.flush();
      if (!body.good() || session->networkException() != nullptr) {
        throw TransportError(UpstreamFailure::ReadFailed, "sending the request failed");
      }
    } catch (const TransportError& e) {
      out.stale = reused;
      out.result = failure(e.failure(), e.what());
      return out;
    } catch (const Poco::TimeoutException&) {
      out.result = failure(UpstreamFailure::Timeout, "timed out sending the request");
      return out;
    } catch (const Poco::Exception& e) {
      out.stale = reused;
      out.result = failure(UpstreamFailure::ReadFailed, std::string("sending the request failed (") + e.name() + ")");
      return out;
    }

    SocketSource source(session->socket(), deadline, context, options.poll_slice, tls);
    ResponseLimits limits;
    limits.max_body_bytes = ex.config.max_response_bytes;
    ResponseReader reader(source, limits);
    ParsedResponse parsed;
    try {
      parsed = reader.read();
    } catch (const TransportError& e) {
      out.stale = reused && reader.bytes_received() == 0 && e.failure() == UpstreamFailure::ReadFailed;
      out.result = failure(e.failure(), e.what());
      return out;
    }

    domain::UpstreamResponse& response = out.result.response;
    response.status = parsed.status;
    response.body = std::move(parsed.body);
    if (const std::string* type = parsed.header("content-type")) response.content_type = *type;
    if (const std::string* retry = parsed.header("retry-after")) {
      response.retry_after_ms = parse_retry_after_ms(*retry, clock->unix_ms());
    }
    response.headers = std::move(parsed.headers);
    if (parsed.reusable && keep_alive) out.reusable = std::move(session);
    return out;
  }

  UpstreamResult send(const UpstreamRequest& request, const CallContext& context) {
    ExchangeState* ex = find(request.exchange);
    if (ex == nullptr) return failure(UpstreamFailure::NotAllowed, "unknown exchange");
    if (auto problem = validate_request(request)) return failure(UpstreamFailure::NotAllowed, *problem);
    std::string reason;
    const auto url = check_url(ex->bases, request.url, &reason);
    if (!url) return failure(UpstreamFailure::NotAllowed, reason);

    if (context.cancelled()) {
      return failure(UpstreamFailure::Cancelled,
                     context.expired() ? "deadline passed before sending" : "cancelled before sending");
    }
    const BudgetDecision ban = ex->budget->check_ban();
    if (ban.outcome == BudgetOutcome::Banned) {
      return failure(UpstreamFailure::RateLimited, ban.message, ban.retry_after_ms);
    }
    const BudgetDecision decision = ex->budget->acquire(request.weight, context);
    switch (decision.outcome) {
      case BudgetOutcome::Granted:
        break;
      case BudgetOutcome::RateLimited:
      case BudgetOutcome::Banned:
        return failure(UpstreamFailure::RateLimited, decision.message, decision.retry_after_ms);
      case BudgetOutcome::Cancelled:
        return failure(UpstreamFailure::Cancelled, decision.message);
      case BudgetOutcome::Invalid:
        return failure(UpstreamFailure::NotAllowed, decision.message);
    }

    UpstreamObservation observation;
    observation.reached_exchange = false;
    UpstreamResult result;
    try {
      result = exchange(*ex, request, *url, context, observation);
    } catch (...) {
      ex->budget->finish(decision.grant, observation);
      throw;
    }
    ex->budget->finish(decision.grant, observation);
    return result;
  }

  UpstreamResult exchange(ExchangeState& ex, const UpstreamRequest& request, const AllowedUrl& url,
                          const CallContext& context, UpstreamObservation& observation) {
    if (context.cancelled()) {
      return failure(UpstreamFailure::Cancelled,
                     context.expired() ? "deadline passed before sending" : "cancelled before sending");
    }
    const auto deadline = SteadyClock::now() + std::min(ex.config.read_timeout, context.remaining());
    const std::string key = url.scheme + "://" + url.host + ":" + std::to_string(url.port);
    {
      std::lock_guard<std::mutex> lock(ex.mutex);
      ++ex.stats.requests;
    }
    SigpipeGuard guard;
    for (int round = 0;; ++round) {
      std::unique_ptr<Poco::Net::HTTPClientSession> session = checkout(ex, key);
      const bool reused = session != nullptr;
      if (!reused) session = make_session(url);
      Attempt attempt_result = attempt(ex, request, url, context, deadline, std::move(session), reused);
      if (attempt_result.stale && round == 0 && !context.cancelled()) {
        std::lock_guard<std::mutex> lock(ex.mutex);
        ++ex.stats.stale_retries;
        continue;  // the pooled connection was dead: one fresh connection
      }
      observation.reached_exchange = attempt_result.reached_exchange;
      UpstreamResult& result = attempt_result.result;
      if (result.failure == UpstreamFailure::None) {
        observation.status = result.response.status;
        observation.retry_after_ms = result.response.retry_after_ms;
        if (!ex.used_weight_header.empty()) {
          for (const auto& [name, value] : result.response.headers) {
            if (name == ex.used_weight_header) observation.used_weight = parse_weight(value);
          }
        }
        if (attempt_result.reusable) checkin(ex, key, std::move(attempt_result.reusable));
      }
      return std::move(result);
    }
  }
};

namespace {

// TLS >= 1.2, VERIFY_STRICT (Poco checks host names even for localhost), only the given CA
// store, and the host name (or IP) pinned in OpenSSL's verification parameters.
Poco::Net::Context::Ptr make_tls_context(const std::string& ca_location, const std::string& host) {
  Poco::Net::Context::Ptr context;
  try {
    Poco::Net::Context::Params params;
    params.caLocation = ca_location;
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.verificationDepth = 9;
    params.loadDefaultCAs = false;
    params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument(std::string("TLS client context: ") + e.name() + " (" + ca_location + ")");
  }
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(context->sslContext());
  Poco::Net::IPAddress ip;
  const int ok = Poco::Net::IPAddress::tryParse(host, ip) ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                                                          : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  if (ok != 1) throw std::invalid_argument("TLS client context: cannot pin host name " + host);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return context;
}

}  // namespace

HttpTransport::HttpTransport(std::vector<UpstreamConfig> configs, TransportOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->clock = impl_->options.clock ? impl_->options.clock : make_system_clock();
  if (impl_->options.poll_slice.count() <= 0) throw std::invalid_argument("poll_slice must be positive");
  bool any_tls = false;
  for (UpstreamConfig& config : configs) {
    const std::string id = config.exchange;
    if (id.empty()) throw std::invalid_argument("upstream config without an exchange id");
    if (impl_->exchanges.count(id) != 0) throw std::invalid_argument("duplicate upstream config for " + id);
    if (config.max_redirects != 0) throw std::invalid_argument(id + ": redirects are never followed (max_redirects must be 0)");
    if (config.connect_timeout.count() <= 0 || config.read_timeout.count() <= 0) {
      throw std::invalid_argument(id + ": timeouts must be positive");
    }
    if (config.max_response_bytes == 0) throw std::invalid_argument(id + ": max_response_bytes must be positive");
    if (config.allowed_base_urls.empty()) throw std::invalid_argument(id + ": no allowed base URLs");
    for (const char c : config.user_agent) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) throw std::invalid_argument(id + ": bad user agent");
    }
    auto state = std::make_unique<ExchangeState>();
    for (const std::string& text : config.allowed_base_urls) {
      std::string reason;
      auto base = parse_base_url(text, &reason);
      if (!base) throw std::invalid_argument(id + ": invalid base URL '" + text + "': " + reason);
      any_tls = any_tls || base->scheme == "https";
      state->bases.push_back(std::move(*base));
    }
    state->budget = config.shared_budget ? config.shared_budget
                                         : std::make_shared<RateBudget>(config.rate, impl_->clock);
    state->used_weight_header = lower(state->budget->config().used_weight_header);
    state->config = std::move(config);
    impl_->exchanges.emplace(id, std::move(state));
  }
  if (any_tls) {
    Poco::Net::initializeSSL();
    impl_->ssl_initialized = true;
    for (const auto& [id, state] : impl_->exchanges) {
      for (const BaseUrl& base : state->bases) {
        if (base.scheme != "https" || impl_->tls_contexts.count(base.host) != 0) continue;
        impl_->tls_contexts.emplace(base.host, make_tls_context(impl_->options.ca_location, base.host));
      }
    }
  }
}

HttpTransport::~HttpTransport() = default;

domain::UpstreamResult HttpTransport::send(const domain::UpstreamRequest& request, const domain::CallContext& context) {
  try {
    return impl_->send(request, context);
  } catch (const TransportError& e) {
    return failure(e.failure(), e.what());
  } catch (const Poco::TimeoutException&) {
    return failure(UpstreamFailure::Timeout, "timed out");
  } catch (const Poco::Exception& e) {
    return failure(UpstreamFailure::ReadFailed, std::string("transport error (") + e.name() + ")");
  } catch (const std::bad_alloc&) {
    return failure(UpstreamFailure::TooLarge, "out of memory while reading the response");
  } catch (...) {
    return failure(UpstreamFailure::ReadFailed, "internal transport error");
  }
}

std::shared_ptr<RateBudget> HttpTransport::budget(const std::string& exchange) const {
  ExchangeState* ex = impl_->find(exchange);
  return ex ? ex->budget : nullptr;
}

TransportStats HttpTransport::stats(const std::string& exchange) const {
  ExchangeState* ex = impl_->find(exchange);
  if (!ex) return {};
  std::lock_guard<std::mutex> lock(ex->mutex);
  return ex->stats;
}

std::size_t HttpTransport::idle_connections(const std::string& exchange) const {
  ExchangeState* ex = impl_->find(exchange);
  if (!ex) return 0;
  std::lock_guard<std::mutex> lock(ex->mutex);
  std::size_t count = 0;
  for (const auto& [key, list] : ex->idle) count += list.size();
  return count;
}

}  // namespace mdp::net
