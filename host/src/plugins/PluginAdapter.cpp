#include "PluginAdapter.hpp"

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "PluginText.hpp"

namespace mdp::plugins {

namespace detail {
// What mdp_host points at: one per plugin instance, alive until destroy() returned.
struct HostState {
  std::string id;
  Poco::Logger* plugin_logger = nullptr;  // "plugin.<id>": the plugin's own lines
  Poco::Logger* host_logger = nullptr;    // "plugins": the host's lines about plugins
  std::function<std::int64_t()> clock;
  // Cleared (under the exclusive lock) when the adapter goes, so a call abandoned earlier
  // can never reach a transport that is being torn down; each send holds the shared lock.
  std::shared_mutex upstream_mutex;
  domain::UpstreamHttp* upstream = nullptr;
  std::size_t max_requests_per_call = 0;
  std::size_t max_retained_bytes_per_call = 0;
  bool isolate_calls = true;
  std::chrono::milliseconds abandon_grace{0};
  std::size_t max_stuck_calls = 0;
  std::atomic<std::size_t> stuck{0};  // calls abandoned at their deadline, still running
  mdp_host_api api{};
};
}  // namespace detail

namespace {

using domain::AdapterError;
using domain::AdapterErrorCode;

constexpr std::size_t kErrorBufferSize = 1024;
constexpr std::size_t kMessageCap = 512;      // plugin text kept in an AdapterError
constexpr std::size_t kLogLineCap = 4096;     // one plugin log line
constexpr std::size_t kMethodCap = 16;
constexpr std::size_t kUrlCap = 8192;
constexpr std::size_t kHeaderNameCap = 256;
constexpr std::size_t kHeaderValueCap = 8192;
constexpr std::size_t kMaxHeaders = 64;
constexpr std::size_t kMaxRequestBody = 1024 * 1024;
constexpr std::size_t kMaxNativeSymbol = 256;
// The transport clamps its timeouts to the caller's time left at millisecond granularity, so
// a transport timeout this close to the caller's deadline is that deadline passing.
constexpr std::chrono::milliseconds kDeadlineSlack{10};
constexpr std::uint64_t kCallMagic = 0x4D44502D43414C4CULL;  // "MDP-CALL"

constexpr std::size_t kHttpRequestV1Size = offsetof(mdp_http_request, weight) + sizeof(std::int32_t);
constexpr std::size_t kHttpResponseV1Size = offsetof(mdp_http_response, retry_after_ms) + sizeof(std::int64_t);
constexpr std::size_t kErrorV1Size = offsetof(mdp_error, upstream_status) + sizeof(std::int32_t);

// What mdp_call points at: one per operation call.
struct CallState {
  std::uint64_t magic = kCallMagic;
  detail::HostState* host = nullptr;
  const domain::CallContext* context = nullptr;  // the plugin's view (see Operation)
  // The caller's own context while it waits (its cancel() is seen at once); cleared under
  // caller_mutex when the caller abandons the call and returns.
  std::mutex caller_mutex;
  const domain::CallContext* caller = nullptr;
  std::mutex mutex;  // a plugin may call http_send from several threads of one operation
  std::deque<std::string> arena;  // response bodies / content types, alive until the call returns
  std::size_t retained_bytes = 0;
  std::size_t requests = 0;
  std::string misuse;  // first request only a plugin bug explains (outside allowlist, caps)
};

mdp_host* to_abi(detail::HostState* state) noexcept { return reinterpret_cast<mdp_host*>(state); }
detail::HostState* from_abi(mdp_host* host) noexcept { return reinterpret_cast<detail::HostState*>(host); }
mdp_call* to_abi(CallState* state) noexcept { return reinterpret_cast<mdp_call*>(state); }
CallState* from_abi(mdp_call* call) noexcept {
  auto* state = reinterpret_cast<CallState*>(call);
  return state != nullptr && state->magic == kCallMagic ? state : nullptr;
}

std::int64_t system_now_ms() noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Poco::Message::Priority to_priority(std::int32_t level) noexcept {
  switch (level) {
    case MDP_LOG_TRACE: return Poco::Message::PRIO_TRACE;
    case MDP_LOG_DEBUG: return Poco::Message::PRIO_DEBUG;
    case MDP_LOG_INFO: return Poco::Message::PRIO_INFORMATION;
    case MDP_LOG_WARN: return Poco::Message::PRIO_WARNING;
    case MDP_LOG_ERROR: return Poco::Message::PRIO_ERROR;
    default: return level < MDP_LOG_TRACE ? Poco::Message::PRIO_TRACE : Poco::Message::PRIO_ERROR;
  }
}

const char* status_name(mdp_status status) noexcept {
  switch (status) {
    case MDP_OK: return "MDP_OK";
    case MDP_E_INVALID_ARGUMENT: return "MDP_E_INVALID_ARGUMENT";
    case MDP_E_NOT_FOUND: return "MDP_E_NOT_FOUND";
    case MDP_E_UPSTREAM_UNAVAILABLE: return "MDP_E_UPSTREAM_UNAVAILABLE";
    case MDP_E_UPSTREAM_RATE_LIMITED: return "MDP_E_UPSTREAM_RATE_LIMITED";
    case MDP_E_UPSTREAM_PROTOCOL: return "MDP_E_UPSTREAM_PROTOCOL";
    case MDP_E_TIMEOUT: return "MDP_E_TIMEOUT";
    case MDP_E_CANCELLED: return "MDP_E_CANCELLED";
    case MDP_E_INTERNAL: return "MDP_E_INTERNAL";
    case MDP_E_UNSUPPORTED: return "MDP_E_UNSUPPORTED";
    case MDP_E_SINK_REJECTED: return "MDP_E_SINK_REJECTED";
    case MDP_E_OUT_OF_BUDGET: return "MDP_E_OUT_OF_BUDGET";
    default: return "unknown";
  }
}

bool is_known_status(mdp_status status) noexcept { return status >= MDP_OK && status <= MDP_STATUS_MAX; }

// The host-owned error buffer passed to every plugin call.
struct ErrorBuffer {
  std::array<char, kErrorBufferSize> text{};
  mdp_error abi{};
  ErrorBuffer() noexcept {
    abi.struct_size = sizeof(mdp_error);
    abi.message = text.data();
    abi.message_capacity = text.size();
    abi.retry_after_ms = -1;
    abi.upstream_status = 0;
  }
  std::string message() {
    text.back() = '\0';  // whatever the plugin did, the buffer ends in a NUL
    std::string m = sanitize(text.data(), kMessageCap);
    return m.empty() ? std::string("(no message)") : m;
  }
  std::int64_t retry_after_ms() const noexcept { return abi.retry_after_ms >= 0 ? abi.retry_after_ms : -1; }
  std::int32_t upstream_status() const noexcept {
    return abi.upstream_status >= 100 && abi.upstream_status <= 599 ? abi.upstream_status : 0;
  }
};

// Sets the thread's breadcrumb and logs it before a plugin call, so the last line before a
// crash inside the plugin names the plugin and the operation.
thread_local char t_breadcrumb[128];
thread_local bool t_in_call = false;

class Breadcrumb {
 public:
  Breadcrumb(const detail::HostState& host, const char* operation) noexcept {
    std::snprintf(t_breadcrumb, sizeof t_breadcrumb, "plugin=%s op=%s", host.id.c_str(), operation);
    t_in_call = true;
    try {
      if (host.host_logger->debug()) host.host_logger->debug(std::string("calling ") + t_breadcrumb);
    } catch (...) {
    }
  }
  ~Breadcrumb() { t_in_call = false; }
  Breadcrumb(const Breadcrumb&) = delete;
  Breadcrumb& operator=(const Breadcrumb&) = delete;
};

// Writes into an error struct the plugin passed to http_send (its memory: checked first).
void write_plugin_error(mdp_error* err, const std::string& message, std::int64_t retry_after_ms = -1) noexcept {
  if (err == nullptr || err->struct_size < kErrorV1Size) return;
  if (err->message != nullptr && err->message_capacity > 0) {
    const std::size_t n = std::min(message.size(), err->message_capacity - 1);
    std::memcpy(err->message, message.data(), n);
    err->message[n] = '\0';
  }
  err->retry_after_ms = retry_after_ms;
  err->upstream_status = 0;
}

// ------------------------------------------------------------------ host services

void host_log(mdp_host* host, std::int32_t level, const char* message) noexcept {
  detail::HostState* state = from_abi(host);
  if (state == nullptr || message == nullptr) return;
  try {
    const Poco::Message::Priority priority = to_priority(level);
    Poco::Logger& logger = *state->plugin_logger;
    if (!logger.is(priority)) return;
    logger.log(Poco::Message(logger.name(), sanitize(message, kLogLineCap), priority));
  } catch (...) {
  }
}

bool host_log_enabled(mdp_host* host, std::int32_t level) noexcept {
  detail::HostState* state = from_abi(host);
  return state != nullptr && state->plugin_logger->is(to_priority(level));
}

std::int64_t host_now_ms(mdp_host* host) noexcept {
  detail::HostState* state = from_abi(host);
  if (state != nullptr && state->clock) {
    try {
      return state->clock();
    } catch (...) {
    }
  }
  return system_now_ms();
}

bool is_cancelled(CallState& state) noexcept {
  if (state.context == nullptr || state.context->cancelled()) return true;
  std::lock_guard<std::mutex> lock(state.caller_mutex);
  return state.caller != nullptr && state.caller->cancelled();
}

bool host_is_cancelled(mdp_call* call) noexcept {
  CallState* state = from_abi(call);
  return state == nullptr || is_cancelled(*state);
}

// Records a request only a plugin bug explains; the operation then fails as PluginError.
mdp_status misuse(CallState& call, mdp_error* err, mdp_status status, const std::string& message) noexcept {
  try {
    std::lock_guard<std::mutex> lock(call.mutex);
    if (call.misuse.empty()) call.misuse = message;
  } catch (...) {
  }
  write_plugin_error(err, message);
  return status;
}

mdp_status host_http_send(mdp_call* call, const mdp_http_request* req, mdp_http_response* resp,
                          mdp_error* err) noexcept {
  CallState* state = from_abi(call);
  if (state == nullptr) {
    write_plugin_error(err, "http_send: call is not a handle the host passed in");
    return MDP_E_INVALID_ARGUMENT;
  }
  try {
    if (req == nullptr || resp == nullptr) {
      return misuse(*state, err, MDP_E_INVALID_ARGUMENT, "http_send: request or response is NULL");
    }
    if (req->struct_size < kHttpRequestV1Size) {
      return misuse(*state, err, MDP_E_INVALID_ARGUMENT,
                    "http_send: request struct_size " + std::to_string(req->struct_size) + " is below ABI 1.0's " +
                        std::to_string(kHttpRequestV1Size));
    }
    if (resp->struct_size < kHttpResponseV1Size) {
      return misuse(*state, err, MDP_E_INVALID_ARGUMENT,
                    "http_send: response struct_size " + std::to_string(resp->struct_size) + " is below ABI 1.0's " +
                        std::to_string(kHttpResponseV1Size));
    }
    mdp_http_request r{};
    std::memcpy(&r, req, std::min(req->struct_size, sizeof r));

    domain::UpstreamRequest request;
    request.exchange = state->host->id;
    std::string_view view;
    TextIssue issue = read_text(r.method, kMethodCap, view);
    if (issue != TextIssue::None || view.empty()) {
      return misuse(*state, err, MDP_E_INVALID_ARGUMENT,
                    std::string("http_send: method ") + (view.empty() && issue == TextIssue::None ? "is empty" : describe(issue)));
    }
    request.method = std::string(view);
    issue = read_text(r.url, kUrlCap, view);
    if (issue != TextIssue::None || view.empty()) {
      return misuse(*state, err, MDP_E_INVALID_ARGUMENT,
                    std::string("http_send: url ") + (view.empty() && issue == TextIssue::None ? "is empty" : describe(issue)));
    }
    request.url = std::string(view);
    if (r.header_count > kMaxHeaders) {
      return misuse(*state, err, MDP_E_INVALID_ARGUMENT,
                    "http_send: " + std::to_string(r.header_count) + " headers, more than the host's cap of " +
                        std::to_string(kMaxHeaders));
    }
    if (r.header_count > 0 && r.headers == nullptr) {
      return misuse(*state, err, MDP_E_INVALID_ARGUMENT, "http_send: headers is NULL with header_count > 0");
    }
    for (std::size_t i = 0; i < r.header_count; ++i) {
      std::string_view name, value;
      const TextIssue name_issue = read_text(r.headers[i].name, kHeaderNameCap, name);
      const TextIssue value_issue = read_text(r.headers[i].value, kHeaderValueCap, value);
      if (name_issue != TextIssue::None || name.empty() || value_issue != TextIssue::None) {
        return misuse(*state, err, MDP_E_INVALID_ARGUMENT,
                      "http_send: header #" + std::to_string(i) + " " +
                          (name_issue != TextIssue::None ? std::string("name ") + describe(name_issue)
                           : name.empty()                ? std::string("name is empty")
                                                         : std::string("value ") + describe(value_issue)));
      }
      request.headers.emplace_back(std::string(name), std::string(value));
    }
    if (r.body_size > kMaxRequestBody) {
      return misuse(*state, err, MDP_E_INVALID_ARGUMENT,
                    "http_send: body_size " + std::to_string(r.body_size) + " exceeds the host's cap of " +
                        std::to_string(kMaxRequestBody));
    }
    if (r.body_size > 0) {
      if (r.body == nullptr) return misuse(*state, err, MDP_E_INVALID_ARGUMENT, "http_send: body is NULL with body_size > 0");
      request.body.assign(r.body, r.body_size);
    }
    request.weight = r.weight <= 0 ? 1 : r.weight;

    {
      std::lock_guard<std::mutex> lock(state->mutex);
      if (++state->requests > state->host->max_requests_per_call) {
        if (state->misuse.empty()) {
          state->misuse = "more than " + std::to_string(state->host->max_requests_per_call) +
                          " http_send calls in one operation";
        }
        write_plugin_error(err, state->misuse);
        return MDP_E_INVALID_ARGUMENT;
      }
    }
    if (is_cancelled(*state)) {
      write_plugin_error(err, "cancelled by the host");
      return MDP_E_CANCELLED;
    }

    domain::UpstreamResult result;
    const auto sent_at = std::chrono::steady_clock::now();
    try {
      std::shared_lock<std::shared_mutex> lock(state->host->upstream_mutex);
      if (state->host->upstream == nullptr) {
        write_plugin_error(err, "cancelled: the host released this plugin");
        return MDP_E_CANCELLED;
      }
      result = state->host->upstream->send(request, *state->context);
    } catch (const std::exception& e) {
      write_plugin_error(err, std::string("host transport error: ") + sanitize(e.what(), 200));
      return MDP_E_UPSTREAM_UNAVAILABLE;
    } catch (...) {
      write_plugin_error(err, "host transport error");
      return MDP_E_UPSTREAM_UNAVAILABLE;
    }

    const std::string why = sanitize(result.message, 300);
    switch (result.failure) {
      case domain::UpstreamFailure::None: break;
      case domain::UpstreamFailure::NotAllowed:
        // The plugin built a request outside its configured base URLs (or a bad method):
        // a plugin bug, reported as such whatever status the plugin returns afterwards.
        return misuse(*state, err, MDP_E_INVALID_ARGUMENT, "request refused by the host: " + why);
      case domain::UpstreamFailure::ConnectFailed:
        write_plugin_error(err, "connect failed: " + why);
        return MDP_E_UPSTREAM_UNAVAILABLE;
      case domain::UpstreamFailure::ReadFailed:
        write_plugin_error(err, "read failed: " + why);
        return MDP_E_UPSTREAM_UNAVAILABLE;
      case domain::UpstreamFailure::TooLarge:
        write_plugin_error(err, "response too large: " + why);
        return MDP_E_UPSTREAM_UNAVAILABLE;
      case domain::UpstreamFailure::Timeout: {
        // Only the caller's own deadline passing is a timeout of the call (issue 3). While the
        // call still had time, the upstream's connect/read timeout fired: it was too slow,
        // which is an unavailable upstream (5xx/timeouts -> MDP_E_UPSTREAM_UNAVAILABLE).
        const auto now = std::chrono::steady_clock::now();
        if (state->context->deadline() - now <= kDeadlineSlack) {
          write_plugin_error(err, "timeout: " + why);
          return MDP_E_TIMEOUT;
        }
        const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - sent_at);
        write_plugin_error(err, "upstream timed out after " + std::to_string(waited.count()) + " ms: " + why);
        return MDP_E_UPSTREAM_UNAVAILABLE;
      }
      case domain::UpstreamFailure::Cancelled:
        write_plugin_error(err, "cancelled: " + why);
        return MDP_E_CANCELLED;
      case domain::UpstreamFailure::RateLimited:
        write_plugin_error(err, "rate limited: " + why, result.retry_after_ms >= 0 ? result.retry_after_ms : -1);
        return MDP_E_UPSTREAM_RATE_LIMITED;
      case domain::UpstreamFailure::CircuitOpen:
        // Failing fast after repeated upstream failures (RELIABILITY.md U11): unavailable,
        // with the remaining cool-down for the client's Retry-After.
        write_plugin_error(err, "upstream unavailable: " + why, result.retry_after_ms >= 0 ? result.retry_after_ms : -1);
        return MDP_E_UPSTREAM_UNAVAILABLE;
      default:
        write_plugin_error(err, "upstream failure: " + why);
        return MDP_E_UPSTREAM_UNAVAILABLE;
    }

    const char* body = nullptr;
    const char* content_type = nullptr;
    const std::size_t body_size = result.response.body.size();
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      const std::size_t adding = body_size + result.response.content_type.size();
      if (state->retained_bytes + adding > state->host->max_retained_bytes_per_call) {
        if (state->misuse.empty()) {
          state->misuse = "responses of one operation exceed the host's cap of " +
                          std::to_string(state->host->max_retained_bytes_per_call) + " bytes";
        }
        write_plugin_error(err, state->misuse);
        return MDP_E_UPSTREAM_UNAVAILABLE;
      }
      state->retained_bytes += adding;
      // std::deque never moves existing elements on push_back: the pointers stay valid.
      state->arena.push_back(std::move(result.response.body));
      body = state->arena.back().data();
      state->arena.push_back(std::move(result.response.content_type));
      content_type = state->arena.back().c_str();
    }
    mdp_http_response out{};
    out.struct_size = resp->struct_size;
    out.status = result.response.status;
    out.body = body;
    out.body_size = body_size;
    out.content_type = content_type;
    out.retry_after_ms = result.response.retry_after_ms >= 0 ? result.response.retry_after_ms : -1;
    std::memcpy(resp, &out, std::min(resp->struct_size, sizeof out));
    return MDP_OK;
  } catch (...) {
    write_plugin_error(err, "http_send: host out of memory");
    return MDP_E_UPSTREAM_UNAVAILABLE;
  }
}

// One plugin operation, owned jointly by the caller and the thread running the plugin, so
// that everything the plugin may still touch (call state, error buffer, its own view of
// the CallContext, host services, the library) outlives an abandoned call.
struct Operation {
  Operation(std::shared_ptr<detail::HostState> host_state, std::shared_ptr<const PluginLibrary> lib,
            const domain::CallContext& caller)
      : host(std::move(host_state)), library(std::move(lib)), context(caller.deadline()) {
    call.host = host.get();
    call.context = &context;
    call.caller = &caller;
  }
  std::shared_ptr<detail::HostState> host;
  std::shared_ptr<const PluginLibrary> library;
  domain::CallContext context;  // the plugin's view: same deadline, cancelled when the caller is
  CallState call;
  ErrorBuffer err;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  bool abandoned = false;
  bool threw = false;  // an exception crossed the C ABI
  mdp_status status = MDP_E_INTERNAL;
};

// Runs `body` (the plugin call) and leaves its status in op. With isolation, the call runs
// on its own thread and is abandoned (AdapterError Timeout) once the caller's context has
// been cancelled or expired for longer than the grace period.
void execute(const std::shared_ptr<Operation>& op, const char* operation, const domain::CallContext& caller,
             std::function<mdp_status()> body, const std::string& prefix) {
  detail::HostState& host = *op->host;
  if (!host.isolate_calls) {
    op->call.context = &caller;  // synchronous: the caller's context outlives the call
    Breadcrumb crumb(host, operation);
    try {
      op->status = body();
    } catch (...) {
      op->threw = true;
    }
    return;
  }
  const std::size_t stuck = host.stuck.load();
  if (stuck >= host.max_stuck_calls) {
    throw AdapterError(AdapterErrorCode::PluginError,
                       prefix + "plugin is unhealthy: " + std::to_string(stuck) +
                           " earlier calls are still running past their deadline");
  }
  try {
    std::thread([op, body = std::move(body), operation]() mutable {
      std::shared_ptr<Operation> self = std::move(op);
      mdp_status status = MDP_E_INTERNAL;
      bool threw = false;
      {
        Breadcrumb crumb(*self->host, operation);
        try {
          status = body();
        } catch (...) {
          threw = true;
        }
      }
      body = nullptr;
      std::unique_lock<std::mutex> lock(self->mutex);
      self->status = status;
      self->threw = threw;
      self->done = true;
      if (self->abandoned) {
        self->host->stuck.fetch_sub(1);
        return;  // nobody waits; the last reference (library included) goes with this thread
      }
      // The caller is waiting and holds its own reference, and it cannot return before it
      // gets the mutex: drop ours first so that the caller's release is the last one
      // (the library is then released on the caller's thread, deterministically).
      Operation* const raw = self.get();
      self.reset();
      raw->finished.notify_all();
    }).detach();
  } catch (const std::system_error& e) {
    throw AdapterError(AdapterErrorCode::PluginError, prefix + "cannot start a call thread: " + e.what());
  }
  using Clock = domain::CallContext::Clock;
  std::optional<Clock::time_point> cancelled_at;
  std::unique_lock<std::mutex> lock(op->mutex);
  while (!op->done) {
    op->finished.wait_for(lock, std::chrono::milliseconds(10));
    if (op->done || !caller.cancelled()) continue;
    op->context.cancel();  // the plugin's is_cancelled and http_send see it from now on
    const Clock::time_point now = Clock::now();
    if (!cancelled_at) cancelled_at = now;
    if (now - *cancelled_at < host.abandon_grace) continue;
    op->abandoned = true;
    {
      std::lock_guard<std::mutex> caller_lock(op->call.caller_mutex);
      op->call.caller = nullptr;  // the caller's context dies with the caller
    }
    const std::size_t now_stuck = host.stuck.fetch_add(1) + 1;
    const std::string message = prefix + "did not return within " + std::to_string(host.abandon_grace.count()) +
                                " ms of its " + (caller.expired() ? "deadline" : "cancellation") +
                                "; abandoned (" + std::to_string(now_stuck) + " stuck)";
    try {
      host.host_logger->warning(message);
    } catch (...) {
    }
    throw AdapterError(AdapterErrorCode::Timeout, message);
  }
}

AdapterErrorCode code_for(mdp_status status) noexcept {
  switch (status) {
    case MDP_E_INVALID_ARGUMENT: return AdapterErrorCode::InvalidArgument;
    case MDP_E_NOT_FOUND: return AdapterErrorCode::NotFound;
    case MDP_E_UPSTREAM_UNAVAILABLE: return AdapterErrorCode::UpstreamUnavailable;
    case MDP_E_UPSTREAM_RATE_LIMITED: return AdapterErrorCode::UpstreamRateLimited;
    case MDP_E_OUT_OF_BUDGET: return AdapterErrorCode::UpstreamRateLimited;
    case MDP_E_UPSTREAM_PROTOCOL: return AdapterErrorCode::UpstreamProtocol;
    case MDP_E_TIMEOUT: return AdapterErrorCode::Timeout;
    case MDP_E_CANCELLED: return AdapterErrorCode::Cancelled;
    case MDP_E_UNSUPPORTED: return AdapterErrorCode::Unsupported;
    default: return AdapterErrorCode::PluginError;  // MDP_E_INTERNAL, SINK_REJECTED without cause, unknown
  }
}

// Turns a failed operation into an AdapterError. Rows already emitted are discarded.
[[noreturn]] void raise_failure(const std::string& prefix, mdp_status status, ErrorBuffer& err,
                                const CallState& call, const domain::CallContext& caller) {
  const std::string message = err.message();
  if (!call.misuse.empty()) {
    throw AdapterError(AdapterErrorCode::PluginError,
                       prefix + call.misuse + " (then returned " + status_name(status) + ": " + message + ")");
  }
  if (!is_known_status(status)) {
    throw AdapterError(AdapterErrorCode::PluginError,
                       prefix + "returned unknown status " + std::to_string(status) + ": " + message);
  }
  if (status == MDP_E_SINK_REJECTED) {
    throw AdapterError(AdapterErrorCode::PluginError,
                       prefix + "returned MDP_E_SINK_REJECTED although the host refused no rows: " + message);
  }
  AdapterErrorCode code = code_for(status);
  // A plugin that stopped because the host cancelled it at the deadline timed out.
  if (code == AdapterErrorCode::Cancelled && caller.expired()) code = AdapterErrorCode::Timeout;
  throw AdapterError(code, prefix + status_name(status) + ": " + message, err.retry_after_ms(), err.upstream_status());
}

// Instances that could not be destroyed because a call on them never returned. Kept
// reachable for the life of the process (PostgreSQL's model: never unload what may run).
void retain_forever(mdp_plugin* instance) noexcept {
  static std::mutex mutex;
  static auto* retained = new std::vector<mdp_plugin*>();  // intentionally never freed
  try {
    std::lock_guard<std::mutex> lock(mutex);
    retained->push_back(instance);
  } catch (...) {
  }
}

}  // namespace

const char* current_plugin_call() noexcept { return t_in_call ? t_breadcrumb : nullptr; }

// ------------------------------------------------------------------ PluginAdapter

PluginAdapter::PluginAdapter(std::shared_ptr<const PluginLibrary> library, domain::UpstreamHttp& upstream,
                             AdapterOptions options)
    : library_(std::move(library)), options_(std::move(options)), host_(std::make_shared<detail::HostState>()) {
  detail::HostState& host = *host_;
  host.id = library_->id();
  host.plugin_logger = &Poco::Logger::get("plugin." + host.id);
  host.host_logger = &Poco::Logger::get("plugins");
  host.clock = options_.clock;
  host.upstream = &upstream;
  host.max_requests_per_call = options_.max_requests_per_call;
  host.max_retained_bytes_per_call = options_.max_retained_bytes_per_call;
  host.isolate_calls = options_.isolate_calls;
  host.abandon_grace = options_.abandon_grace;
  host.max_stuck_calls = options_.max_stuck_calls;
  host.api.struct_size = sizeof(mdp_host_api);
  host.api.abi_major = MDP_ABI_MAJOR;
  host.api.abi_minor = MDP_ABI_MINOR;
  host.api.log = &host_log;
  host.api.log_enabled = &host_log_enabled;
  host.api.now_ms = &host_now_ms;
  host.api.http_send = &host_http_send;
  host.api.is_cancelled = &host_is_cancelled;
}

std::shared_ptr<PluginAdapter> PluginAdapter::create(std::shared_ptr<const PluginLibrary> library,
                                                     const std::map<std::string, std::string>& settings,
                                                     domain::UpstreamHttp& upstream, AdapterOptions options) {
  if (!library) throw PluginLoadError("PluginAdapter::create: no library");
  std::shared_ptr<PluginAdapter> adapter(new PluginAdapter(library, upstream, std::move(options)));
  const std::string& path = library->path();

  std::vector<mdp_config_entry> entries;
  entries.reserve(settings.size());
  for (const auto& [key, value] : settings) entries.push_back({key.c_str(), value.c_str()});
  mdp_plugin_config config{};
  config.struct_size = sizeof(config);
  config.entries = entries.empty() ? nullptr : entries.data();
  config.entry_count = entries.size();

  ErrorBuffer err;
  mdp_plugin* instance = nullptr;
  mdp_status status = MDP_E_INTERNAL;
  {
    Breadcrumb crumb(*adapter->host_, "create");
    try {
      status = library->api().create(&adapter->host_->api, to_abi(adapter->host_.get()), &config, &instance, &err.abi);
    } catch (...) {
      throw PluginLoadError(path + ": create() let an exception cross the C ABI", library);
    }
  }
  if (status != MDP_OK) {
    // A failed create() must leave *out NULL; an instance it left behind is leaked, not destroyed.
    const std::string what = is_known_status(status) ? std::string("failed with ") + status_name(status)
                                                     : "returned unknown status " + std::to_string(status);
    throw PluginLoadError(path + ": create() " + what + ": " + err.message(), library);
  }
  if (instance == nullptr) throw PluginLoadError(path + ": create() returned MDP_OK but no instance", library);
  adapter->instance_ = instance;
  return adapter;
}

PluginAdapter::~PluginAdapter() {
  {
    // From here on no plugin thread reaches the transport (waits for sends in flight).
    std::unique_lock<std::shared_mutex> lock(host_->upstream_mutex);
    host_->upstream = nullptr;
  }
  if (instance_ == nullptr) return;
  if (const std::size_t stuck = host_->stuck.load(); stuck > 0) {
    // destroy() would free the instance under a call that is still running: leak it. The
    // running calls keep the library and the host services alive until they return.
    try {
      host_->host_logger->warning("plugin '" + host_->id + "': not destroyed, " + std::to_string(stuck) +
                                  " abandoned calls are still running");
    } catch (...) {
    }
    retain_forever(instance_);
    return;
  }
  Breadcrumb crumb(*host_, "destroy");
  try {
    library_->api().destroy(instance_);
  } catch (...) {
  }
  instance_ = nullptr;
}

const domain::ExchangeDescriptor& PluginAdapter::descriptor() const { return library_->descriptor(); }

const std::string& PluginAdapter::id() const noexcept { return host_->id; }

std::size_t PluginAdapter::stuck_calls() const noexcept { return host_->stuck.load(); }

std::vector<domain::Symbol> PluginAdapter::list_symbols(const domain::CallContext& context) {
  const std::string prefix = "plugin '" + id() + "' list_symbols: ";
  if (context.cancelled()) throw AdapterError(AdapterErrorCode::Cancelled, prefix + "cancelled before the call");

  auto op = std::make_shared<Operation>(host_, library_, context);
  auto collector = std::make_shared<SymbolCollector>(id(), options_.limits, &op->err.abi);
  auto sink = std::make_shared<const mdp_symbol_sink>(collector->sink());
  const auto fn = library_->api().list_symbols;
  mdp_plugin* const instance = instance_;
  Operation* const raw = op.get();
  execute(op, "list_symbols", context,
          [raw, collector, sink, fn, instance] { return fn(instance, to_abi(&raw->call), sink.get(), &raw->err.abi); },
          prefix);
  // The call returned: nothing else touches op or the collector any more.
  if (op->threw) throw AdapterError(AdapterErrorCode::PluginError, prefix + "let an exception cross the C ABI");
  if (collector->failed()) throw AdapterError(AdapterErrorCode::PluginBadOutput, prefix + collector->violation());
  if (op->status != MDP_OK) raise_failure(prefix, op->status, op->err, op->call, context);
  return collector->take();
}

domain::CandlePage PluginAdapter::fetch_candles(const domain::CandlePageRequest& request,
                                                const domain::CallContext& context) {
  const std::string prefix = "plugin '" + id() + "' fetch_candles: ";
  const domain::ExchangeDescriptor& desc = descriptor();
  const auto interval = std::find_if(desc.intervals.begin(), desc.intervals.end(),
                                     [&](const domain::ExchangeInterval& i) { return i.interval == request.interval; });
  if (interval == desc.intervals.end()) {
    std::string supported;
    for (const auto& i : desc.intervals) supported += (supported.empty() ? "" : " ") + i.interval;
    throw AdapterError(AdapterErrorCode::Unsupported, prefix + "interval '" + sanitize(request.interval, 16) +
                                                          "' is not supported; supported: " + supported);
  }
  if (request.start_ms >= request.end_ms) {
    throw AdapterError(AdapterErrorCode::InvalidArgument, prefix + "empty range: start_ms " +
                                                              std::to_string(request.start_ms) + " >= end_ms " +
                                                              std::to_string(request.end_ms));
  }
  if (request.max_rows == 0 || request.max_rows > interval->page_cap) {
    throw AdapterError(AdapterErrorCode::InvalidArgument, prefix + "max_rows " + std::to_string(request.max_rows) +
                                                              " is outside 1.." + std::to_string(interval->page_cap));
  }
  if (request.native_symbol.empty() || request.native_symbol.size() > kMaxNativeSymbol ||
      request.native_symbol.find('\0') != std::string::npos) {
    throw AdapterError(AdapterErrorCode::InvalidArgument, prefix + "native_symbol is empty, too long or contains NUL");
  }
  if (context.cancelled()) throw AdapterError(AdapterErrorCode::Cancelled, prefix + "cancelled before the call");

  // Everything the plugin reads or writes lives in one block owned with the operation.
  struct CandleCall {
    CandleCall(const domain::CandlePageRequest& r, const OutputLimits& limits, mdp_error* err)
        : native_symbol(r.native_symbol), interval(r.interval), collector(r, limits, err) {}
    std::string native_symbol;
    std::string interval;
    mdp_candle_request req{};
    mdp_candle_page page{};
    CandleCollector collector;
    mdp_candle_sink sink{};
  };
  auto op = std::make_shared<Operation>(host_, library_, context);
  auto data = std::make_shared<CandleCall>(request, options_.limits, &op->err.abi);
  data->req.struct_size = sizeof(mdp_candle_request);
  data->req.native_symbol = data->native_symbol.c_str();
  data->req.interval = data->interval.c_str();
  data->req.start_ms = request.start_ms;
  data->req.end_ms = request.end_ms;
  data->req.max_rows = request.max_rows;
  data->page.struct_size = sizeof(mdp_candle_page);
  data->page.next_start_ms = -2;  // the plugin must overwrite both on success
  data->page.available_from_ms = -2;
  data->sink = data->collector.sink();

  const auto fn = library_->api().fetch_candles;
  mdp_plugin* const instance = instance_;
  Operation* const raw = op.get();
  execute(op, "fetch_candles", context,
          [raw, data, fn, instance] {
            return fn(instance, to_abi(&raw->call), &data->req, &data->sink, &data->page, &raw->err.abi);
          },
          prefix);
  if (op->threw) throw AdapterError(AdapterErrorCode::PluginError, prefix + "let an exception cross the C ABI");
  CandleCollector& collector = data->collector;
  if (collector.failed()) throw AdapterError(AdapterErrorCode::PluginBadOutput, prefix + collector.violation());
  if (op->status != MDP_OK) raise_failure(prefix, op->status, op->err, op->call, context);
  if (!collector.finish(data->page)) throw AdapterError(AdapterErrorCode::PluginBadOutput, prefix + collector.violation());
  return collector.take();
}

}  // namespace mdp::plugins
