// Header-only C++ layer for plugin authors. Write a class with two operations, declare a
// descriptor, and MDP_DEFINE_PLUGIN generates the C entry point and the noexcept
// trampolines that turn every exception into a status code plus message. Nothing from
// this header crosses the ABI: only plugin_abi.h types do.
//
//   class MyExchange final : public mdp::sdk::Plugin {
//    public:
//     MyExchange(mdp::sdk::Host& host, const mdp::sdk::Config& config);
//     void list_symbols(mdp::sdk::Call& call, mdp::sdk::SymbolSink& sink) override;
//     mdp::sdk::PageResult fetch_candles(mdp::sdk::Call& call, const mdp::sdk::CandleRequest& req,
//                                        mdp::sdk::CandleSink& sink) override;
//   };
//   MDP_DEFINE_PLUGIN(MyExchange, kDescriptor)
#ifndef MDP_PLUGIN_HPP
#define MDP_PLUGIN_HPP

#include <mdp/decimal.hpp>
#include <mdp/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace mdp::sdk {

// Thrown by plugin code to fail an operation with a specific status.
class Error : public std::exception {
 public:
  Error(mdp_status status, std::string message, std::int64_t retry_after_ms = -1,
        std::int32_t upstream_status = 0)
      : status_(status),
        message_(std::move(message)),
        retry_after_ms_(retry_after_ms),
        upstream_status_(upstream_status) {}
  const char* what() const noexcept override { return message_.c_str(); }
  mdp_status status() const noexcept { return status_; }
  std::int64_t retry_after_ms() const noexcept { return retry_after_ms_; }
  std::int32_t upstream_status() const noexcept { return upstream_status_; }

 private:
  mdp_status status_;
  std::string message_;
  std::int64_t retry_after_ms_;
  std::int32_t upstream_status_;
};

// Operator configuration for one plugin instance (e.g. base_url, timeouts).
class Config {
 public:
  Config() = default;
  explicit Config(const mdp_plugin_config* config) {
    if (config == nullptr) return;
    for (std::size_t i = 0; i < config->entry_count; ++i) {
      const mdp_config_entry& e = config->entries[i];
      if (e.key != nullptr && e.value != nullptr) values_[e.key] = e.value;
    }
  }
  std::string get(const std::string& key, const std::string& fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
  }
  bool has(const std::string& key) const { return values_.count(key) != 0; }

 private:
  std::map<std::string, std::string> values_;
};

// The host's services for one plugin instance.
class Host {
 public:
  Host(const mdp_host_api* api, mdp_host* host) noexcept : api_(api), host_(host) {}
  void log(std::int32_t level, const std::string& message) const noexcept {
    if (api_->log != nullptr) api_->log(host_, level, message.c_str());
  }
  bool log_enabled(std::int32_t level) const noexcept {
    return api_->log_enabled != nullptr && api_->log_enabled(host_, level);
  }
  std::int64_t now_ms() const noexcept { return api_->now_ms(host_); }
  const mdp_host_api* api() const noexcept { return api_; }

 private:
  const mdp_host_api* api_;
  mdp_host* host_;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::int32_t weight = 1;
};

// Views into host-owned memory, valid until the operation returns.
struct HttpResponse {
  std::int32_t status = 0;
  std::string_view body;
  std::string_view content_type;
  std::int64_t retry_after_ms = -1;
};

// One operation call: network access, cancellation, the host clock.
class Call {
 public:
  Call(const Host& host, mdp_call* call) noexcept : host_(host), call_(call) {}
  const Host& host() const noexcept { return host_; }
  std::int64_t now_ms() const noexcept { return host_.now_ms(); }
  bool cancelled() const noexcept {
    return host_.api()->is_cancelled != nullptr && host_.api()->is_cancelled(call_);
  }
  // Sends through the host; throws Error for transport failures. Any HTTP status returns.
  HttpResponse send(const HttpRequest& request) const {
    std::vector<mdp_http_header> headers;
    headers.reserve(request.headers.size());
    for (const auto& h : request.headers) headers.push_back({h.first.c_str(), h.second.c_str()});
    mdp_http_request req{};
    req.struct_size = sizeof(req);
    req.method = request.method.c_str();
    req.url = request.url.c_str();
    req.headers = headers.empty() ? nullptr : headers.data();
    req.header_count = headers.size();
    req.body = request.body.empty() ? nullptr : request.body.data();
    req.body_size = request.body.size();
    req.weight = request.weight;
    mdp_http_response resp{};
    resp.struct_size = sizeof(resp);
    resp.retry_after_ms = -1;
    char buffer[512] = {0};
    mdp_error err{};
    err.struct_size = sizeof(err);
    err.message = buffer;
    err.message_capacity = sizeof(buffer);
    err.retry_after_ms = -1;
    const mdp_status status = host_.api()->http_send(call_, &req, &resp, &err);
    if (status != MDP_OK) {
      buffer[sizeof(buffer) - 1] = '\0';
      throw Error(status, buffer[0] != '\0' ? buffer : "http_send failed", err.retry_after_ms,
                  err.upstream_status);
    }
    HttpResponse out;
    out.status = resp.status;
    if (resp.body != nullptr) out.body = std::string_view(resp.body, resp.body_size);
    if (resp.content_type != nullptr) out.content_type = resp.content_type;
    out.retry_after_ms = resp.retry_after_ms;
    return out;
  }

 private:
  const Host& host_;
  mdp_call* call_;
};

// Throws the status every exchange shares for rate limits and server errors; returns for
// anything else so the plugin can map its own 4xx bodies.
inline void raise_for_common_status(const HttpResponse& response, std::string_view exchange) {
  const std::int32_t s = response.status;
  if (s == 429 || s == 418) {
    throw Error(MDP_E_UPSTREAM_RATE_LIMITED,
                std::string(exchange) + (s == 418 ? ": IP banned (HTTP 418)" : ": rate limited (HTTP 429)"),
                response.retry_after_ms, s);
  }
  if (s >= 500) {
    throw Error(MDP_E_UPSTREAM_UNAVAILABLE,
                std::string(exchange) + ": upstream error HTTP " + std::to_string(s), -1, s);
  }
}

// Canonical decimal or Error(MDP_E_UPSTREAM_PROTOCOL) naming the field.
inline std::string decimal_or_throw(std::string_view token, std::string_view field) {
  std::string out;
  if (!to_canonical_decimal(token, out)) {
    throw Error(MDP_E_UPSTREAM_PROTOCOL,
                "field '" + std::string(field) + "' is not a decimal: '" +
                    std::string(token.substr(0, 40)) + "'");
  }
  return out;
}

struct Symbol {
  std::string symbol, native_symbol;
  std::int32_t market_type = 0;
  std::int32_t status = 0;
  std::string base, quote, settle;
  std::string tick_size, lot_step, min_qty, min_notional, contract_size;
  std::int64_t listed_at_ms = -1;
  std::int64_t delivery_at_ms = -1;
  std::int32_t price_max_decimals = -1;
  std::int32_t price_max_sig_figs = -1;
  std::string alias_of;
  std::string native_status;
};

struct Candle {
  std::int64_t open_time_ms = 0;
  std::int64_t close_time_ms = 0;
  std::string open, high, low, close, volume, quote_volume;
  std::int64_t trades = -1;
  bool closed = true;
};

struct CandleRequest {
  std::string_view native_symbol;
  std::string_view interval;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::uint32_t max_rows = 0;
};

struct PageResult {
  std::int64_t next_start_ms = -1;      // -1: everything in [start, end) was emitted
  std::int64_t available_from_ms = -1;  // -1: no history limit known
};

namespace detail {
inline mdp_symbol to_abi(const Symbol& s) noexcept {
  mdp_symbol r{};
  r.struct_size = sizeof(r);
  r.symbol = s.symbol.c_str();
  r.native_symbol = s.native_symbol.c_str();
  r.market_type = s.market_type;
  r.status = s.status;
  r.base = s.base.c_str();
  r.quote = s.quote.c_str();
  r.settle = s.settle.c_str();
  r.tick_size = s.tick_size.c_str();
  r.lot_step = s.lot_step.c_str();
  r.min_qty = s.min_qty.c_str();
  r.min_notional = s.min_notional.c_str();
  r.contract_size = s.contract_size.c_str();
  r.listed_at_ms = s.listed_at_ms;
  r.delivery_at_ms = s.delivery_at_ms;
  r.price_max_decimals = s.price_max_decimals;
  r.price_max_sig_figs = s.price_max_sig_figs;
  r.alias_of = s.alias_of.c_str();
  r.native_status = s.native_status.c_str();
  return r;
}
inline mdp_candle to_abi(const Candle& c) noexcept {
  mdp_candle r{};
  r.struct_size = sizeof(r);
  r.open_time_ms = c.open_time_ms;
  r.close_time_ms = c.close_time_ms;
  r.open = c.open.c_str();
  r.high = c.high.c_str();
  r.low = c.low.c_str();
  r.close = c.close.c_str();
  r.volume = c.volume.c_str();
  r.quote_volume = c.quote_volume.c_str();
  r.trades = c.trades;
  r.closed = c.closed ? 1 : 0;
  return r;
}
}  // namespace detail

// Thrown by a sink when the host's emit() returns non-OK. The trampolines return that
// status and keep the reason the host wrote into the call's error (CONTRACT.md, sinks).
// Do not swallow it in plugin code: once the host refused rows, stop and unwind.
class SinkRejected : public Error {
 public:
  explicit SinkRejected(mdp_status status)
      : Error(status, "the host's sink rejected the rows (status " + std::to_string(status) + ")") {}
};

// Batches rows into the host sink; throws SinkRejected when the host rejects them.
// Rows are converted into a fixed stack batch of kBatchSize ABI rows (no allocation) and
// handed over with row_stride == sizeof(AbiRow); a rejected batch stops the emission.
template <class Row, class AbiRow, class AbiSink>
class BasicSink {
 public:
  static constexpr std::size_t kBatchSize = 256;

  explicit BasicSink(const AbiSink* sink) noexcept : sink_(sink) {}
  void emit(const Row* rows, std::size_t count) {
    AbiRow batch[kBatchSize];
    std::size_t done = 0;
    while (done < count) {
      const std::size_t n = (count - done) < kBatchSize ? (count - done) : kBatchSize;
      for (std::size_t i = 0; i < n; ++i) batch[i] = detail::to_abi(rows[done + i]);
      const mdp_status status = sink_->emit(sink_->ctx, batch, n, sizeof(AbiRow));
      if (status != MDP_OK) throw SinkRejected(status);
      done += n;
      emitted_ += n;
    }
  }
  void emit(const Row& row) { emit(&row, 1); }
  void emit(const std::vector<Row>& rows) { emit(rows.data(), rows.size()); }
  std::size_t emitted() const noexcept { return emitted_; }

 private:
  const AbiSink* sink_;
  std::size_t emitted_ = 0;
};
using SymbolSink = BasicSink<Symbol, mdp_symbol, mdp_symbol_sink>;
using CandleSink = BasicSink<Candle, mdp_candle, mdp_candle_sink>;

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual void list_symbols(Call& call, SymbolSink& sink) = 0;
  virtual PageResult fetch_candles(Call& call, const CandleRequest& request, CandleSink& sink) = 0;
};

namespace detail {

// Copies `message` into the host-owned buffer: at most message_capacity - 1 bytes plus
// the NUL, never more (truncates). Does nothing without a usable buffer.
inline void write_error(mdp_error* err, const char* message) noexcept {
  if (err == nullptr || err->message == nullptr || err->message_capacity == 0) return;
  if (message == nullptr) message = "";
  const std::size_t len = std::strlen(message);
  const std::size_t n = len < err->message_capacity - 1 ? len : err->message_capacity - 1;
  std::memcpy(err->message, message, n);
  err->message[n] = '\0';
}

// True when the host already put a reason into the buffer (NUL-terminated, non-empty).
inline bool has_message(const mdp_error* err) noexcept {
  return err != nullptr && err->message != nullptr && err->message_capacity != 0 &&
         err->message[0] != '\0' &&
         std::memchr(err->message, '\0', err->message_capacity) != nullptr;
}

// A failure status this ABI defines; MDP_OK or an unknown code thrown by plugin code
// becomes MDP_E_INTERNAL so a failure is never reported as success.
constexpr mdp_status known_error_status(mdp_status status) noexcept {
  return status > MDP_OK && status <= MDP_STATUS_MAX ? status : MDP_E_INTERNAL;
}

// Runs `body` and converts every exception into a status (the exception firewall).
template <class Body>
mdp_status guarded(mdp_error* err, Body&& body) noexcept {
  try {
    body();
    return MDP_OK;
  } catch (const SinkRejected& e) {
    // The host refused the rows and may have written why; keep its reason.
    if (!has_message(err)) write_error(err, e.what());
    return known_error_status(e.status());
  } catch (const Error& e) {
    write_error(err, e.what());
    if (err != nullptr) {
      err->retry_after_ms = e.retry_after_ms();
      err->upstream_status = e.upstream_status();
    }
    return known_error_status(e.status());
  } catch (const std::bad_alloc&) {
    write_error(err, "out of memory");
  } catch (const std::exception& e) {
    write_error(err, e.what());
  } catch (...) {
    write_error(err, "unknown exception");
  }
  return MDP_E_INTERNAL;
}

struct Instance {
  Host host;
  std::unique_ptr<Plugin> plugin;
};

// Size of the host services table as ABI 1.0 defines it; a host never passes less.
inline constexpr std::size_t kHostApiMinSize =
    offsetof(mdp_host_api, is_cancelled) + sizeof(mdp_host_api::is_cancelled);

template <class PluginType>
struct Trampolines {
  static_assert(std::is_base_of<Plugin, PluginType>::value,
                "MDP_DEFINE_PLUGIN: the plugin class must derive from mdp::sdk::Plugin");
  static_assert(std::is_constructible<PluginType, Host&, const Config&>::value,
                "MDP_DEFINE_PLUGIN: the plugin class needs a constructor (mdp::sdk::Host&, "
                "const mdp::sdk::Config&)");

  static mdp_status create(const mdp_host_api* host_api, mdp_host* host,
                           const mdp_plugin_config* config, mdp_plugin** out,
                           mdp_error* err) noexcept {
    if (out == nullptr) {
      write_error(err, "create: out is NULL");
      return MDP_E_INVALID_ARGUMENT;
    }
    *out = nullptr;
    if (host_api == nullptr) {
      write_error(err, "create: host services table is NULL");
      return MDP_E_INVALID_ARGUMENT;
    }
    if (host_api->struct_size < kHostApiMinSize) {
      write_error(err, "create: host services table struct_size is smaller than ABI 1.0's");
      return MDP_E_INVALID_ARGUMENT;
    }
    if (host_api->abi_major != MDP_ABI_MAJOR) {
      write_error(err, "create: host ABI major version differs from the plugin's");
      return MDP_E_INVALID_ARGUMENT;
    }
    if (host_api->http_send == nullptr || host_api->now_ms == nullptr) {
      write_error(err, "create: host services table lacks http_send or now_ms");
      return MDP_E_INVALID_ARGUMENT;
    }
    Instance* instance = nullptr;
    const mdp_status status = guarded(err, [&] {
      auto owned = std::make_unique<Instance>(Instance{Host(host_api, host), nullptr});
      const Config cfg(config);
      owned->plugin = std::make_unique<PluginType>(owned->host, cfg);
      instance = owned.release();
    });
    if (status == MDP_OK) *out = reinterpret_cast<mdp_plugin*>(instance);
    return status;
  }
  static void destroy(mdp_plugin* plugin) noexcept {
    delete reinterpret_cast<Instance*>(plugin);
  }
  static mdp_status list_symbols(mdp_plugin* plugin, mdp_call* call, const mdp_symbol_sink* sink,
                                 mdp_error* err) noexcept {
    if (plugin == nullptr || sink == nullptr || sink->emit == nullptr) {
      write_error(err, "list_symbols: NULL plugin, sink or sink->emit");
      return MDP_E_INVALID_ARGUMENT;
    }
    auto* instance = reinterpret_cast<Instance*>(plugin);
    return guarded(err, [&] {
      Call c(instance->host, call);
      SymbolSink s(sink);
      instance->plugin->list_symbols(c, s);
    });
  }
  static mdp_status fetch_candles(mdp_plugin* plugin, mdp_call* call, const mdp_candle_request* req,
                                  const mdp_candle_sink* sink, mdp_candle_page* page,
                                  mdp_error* err) noexcept {
    if (plugin == nullptr || req == nullptr || sink == nullptr || sink->emit == nullptr ||
        page == nullptr || req->native_symbol == nullptr || req->interval == nullptr) {
      write_error(err, "fetch_candles: NULL plugin, request, sink, sink->emit, page or request string");
      return MDP_E_INVALID_ARGUMENT;
    }
    auto* instance = reinterpret_cast<Instance*>(plugin);
    return guarded(err, [&] {
      Call c(instance->host, call);
      CandleSink s(sink);
      CandleRequest r;
      r.native_symbol = req->native_symbol;
      r.interval = req->interval;
      r.start_ms = req->start_ms;
      r.end_ms = req->end_ms;
      r.max_rows = req->max_rows;
      if (r.start_ms >= r.end_ms || r.max_rows == 0) {
        throw Error(MDP_E_INVALID_ARGUMENT, "empty range or max_rows == 0");
      }
      const PageResult result = instance->plugin->fetch_candles(c, r, s);
      page->next_start_ms = result.next_start_ms;
      page->available_from_ms = result.available_from_ms;
    });
  }
};

}  // namespace detail
}  // namespace mdp::sdk

#if defined(_WIN32)
#define MDP_PLUGIN_EXPORT extern "C" __declspec(dllexport)
#else
#define MDP_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))
#endif

// Defines the plugin table and the one exported entry point. `descriptor` must be an
// object of static storage duration of type mdp_plugin_descriptor.
#define MDP_DEFINE_PLUGIN(PluginType, descriptor)                                            \
  namespace {                                                                                \
  const mdp_plugin_api mdp_plugin_table_ = {                                                 \
      MDP_PLUGIN_MAGIC,                                                                      \
      static_cast<uint32_t>(sizeof(mdp_plugin_api)),                                         \
      MDP_ABI_MAJOR,                                                                         \
      MDP_ABI_MINOR,                                                                         \
      &(descriptor),                                                                         \
      &::mdp::sdk::detail::Trampolines<PluginType>::create,                                  \
      &::mdp::sdk::detail::Trampolines<PluginType>::destroy,                                 \
      &::mdp::sdk::detail::Trampolines<PluginType>::list_symbols,                            \
      &::mdp::sdk::detail::Trampolines<PluginType>::fetch_candles,                           \
  };                                                                                         \
  }                                                                                          \
  MDP_PLUGIN_EXPORT const mdp_plugin_api* mdp_plugin_entry(void) { return &mdp_plugin_table_; }

#endif  // MDP_PLUGIN_HPP
