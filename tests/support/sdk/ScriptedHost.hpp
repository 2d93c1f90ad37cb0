// Test double for the host side of the plugin ABI. It answers http_send from a script,
// records every request, and lets the test set the clock. PluginHarness loads a real
// plugin .so (dlopen RTLD_NOW|RTLD_LOCAL) and runs its operations, copying what the plugin
// emits into owned rows (mdp::sdk::Symbol / Candle) exactly as the ABI says: read
// min(struct_size, sizeof) of each row at the given stride.
#pragma once

#include <dlfcn.h>
#include <mdp/plugin.hpp>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

struct mdp_host {
  void* self;
};
struct mdp_call {
  void* self;
  bool cancelled;
};

namespace mdp::testing {

struct RecordedRequest {
  std::string method;
  std::string url;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::int32_t weight = 1;
};

struct ScriptedResponse {
  std::int32_t status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::int64_t retry_after_ms = -1;
  // A transport failure instead of a response (e.g. MDP_E_UPSTREAM_UNAVAILABLE).
  mdp_status transport_status = MDP_OK;
  std::string transport_message;
};

class ScriptedHost {
 public:
  using Responder = std::function<ScriptedResponse(const RecordedRequest&)>;

  ScriptedHost() {
    api_.struct_size = sizeof(api_);
    api_.abi_major = MDP_ABI_MAJOR;
    api_.abi_minor = MDP_ABI_MINOR;
    api_.log = &ScriptedHost::log_thunk;
    api_.log_enabled = [](mdp_host*, std::int32_t) { return true; };
    api_.now_ms = [](mdp_host* h) { return static_cast<ScriptedHost*>(h->self)->now_ms_; };
    api_.http_send = &ScriptedHost::send_thunk;
    api_.is_cancelled = [](mdp_call* c) { return c->cancelled; };
    host_.self = this;
    call_.self = this;
    call_.cancelled = false;
  }
  ScriptedHost(const ScriptedHost&) = delete;
  ScriptedHost& operator=(const ScriptedHost&) = delete;

  // Answers are taken from the queue first, then from the responder.
  void push(ScriptedResponse response) { queue_.push_back(std::move(response)); }
  void respond(Responder responder) { responder_ = std::move(responder); }
  void set_now_ms(std::int64_t now) { now_ms_ = now; }
  void cancel() { call_.cancelled = true; }

  const std::vector<RecordedRequest>& requests() const { return requests_; }
  const std::vector<std::string>& logs() const { return logs_; }
  const mdp_host_api* api() const { return &api_; }
  mdp_host* host() { return &host_; }
  mdp_call* call() { return &call_; }

 private:
  static void log_thunk(mdp_host* h, std::int32_t level, const char* message) {
    auto* self = static_cast<ScriptedHost*>(h->self);
    std::lock_guard<std::mutex> lock(self->mutex_);
    self->logs_.push_back(std::to_string(level) + " " + (message ? message : ""));
  }

  static mdp_status send_thunk(mdp_call* c, const mdp_http_request* req, mdp_http_response* resp,
                               mdp_error* err) {
    auto* self = static_cast<ScriptedHost*>(c->self);
    std::lock_guard<std::mutex> lock(self->mutex_);
    RecordedRequest r;
    r.method = req->method ? req->method : "";
    r.url = req->url ? req->url : "";
    if (req->body != nullptr) r.body.assign(req->body, req->body_size);
    for (std::size_t i = 0; i < req->header_count; ++i) {
      r.headers.emplace_back(req->headers[i].name, req->headers[i].value);
    }
    r.weight = req->weight;
    self->requests_.push_back(r);
    ScriptedResponse answer;
    if (!self->queue_.empty()) {
      answer = std::move(self->queue_.front());
      self->queue_.pop_front();
    } else if (self->responder_) {
      answer = self->responder_(r);
    } else {
      answer.status = 404;
      answer.body = "no scripted response";
    }
    if (answer.transport_status != MDP_OK) {
      sdk::detail::write_error(err, answer.transport_message.c_str());
      if (err != nullptr) err->retry_after_ms = answer.retry_after_ms;
      return answer.transport_status;
    }
    // Host-owned memory valid until the operation returns: keep every body alive.
    self->bodies_.push_back(std::move(answer.body));
    self->content_types_.push_back(std::move(answer.content_type));
    resp->status = answer.status;
    resp->body = self->bodies_.back().data();
    resp->body_size = self->bodies_.back().size();
    resp->content_type = self->content_types_.back().c_str();
    resp->retry_after_ms = answer.retry_after_ms;
    return MDP_OK;
  }

  mdp_host_api api_{};
  mdp_host host_{};
  mdp_call call_{};
  std::int64_t now_ms_ = 1'700'000'000'000;
  std::deque<ScriptedResponse> queue_;
  Responder responder_;
  std::vector<RecordedRequest> requests_;
  std::vector<std::string> logs_;
  std::deque<std::string> bodies_;
  std::deque<std::string> content_types_;
  std::mutex mutex_;
};

// Path of a plugin built by this tree: $MDP_PLUGIN_BUILD_DIR/mdp-<id>.so.
inline std::string built_plugin_path(const std::string& id) {
  const char* dir = std::getenv("MDP_PLUGIN_BUILD_DIR");
  if (dir == nullptr) throw std::runtime_error("MDP_PLUGIN_BUILD_DIR is not set (run through ctest)");
  return std::string(dir) + "/mdp-" + id + ".so";
}

struct OperationResult {
  mdp_status status = MDP_OK;
  std::string message;
  std::int64_t retry_after_ms = -1;
  std::int32_t upstream_status = 0;
  std::vector<sdk::Symbol> symbols;
  std::vector<sdk::Candle> candles;
  mdp_candle_page page{};
};

// Loads a plugin .so and drives one instance of it against a ScriptedHost.
class PluginHarness {
 public:
  PluginHarness(const std::string& so_path, ScriptedHost& host,
                const std::map<std::string, std::string>& config = {})
      : host_(host) {
    handle_ = dlopen(so_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) throw std::runtime_error(std::string("dlopen: ") + dlerror());
    auto entry = reinterpret_cast<mdp_plugin_entry_fn>(dlsym(handle_, MDP_PLUGIN_ENTRY_SYMBOL));
    if (entry == nullptr) throw std::runtime_error("no mdp_plugin_entry in " + so_path);
    api_ = entry();
    std::vector<mdp_config_entry> entries;
    for (const auto& kv : config) entries.push_back({kv.first.c_str(), kv.second.c_str()});
    mdp_plugin_config cfg{sizeof(mdp_plugin_config), entries.empty() ? nullptr : entries.data(),
                          entries.size()};
    char buffer[1024] = {0};
    mdp_error err{sizeof(mdp_error), buffer, sizeof buffer, -1, 0};
    create_status_ = api_->create(host_.api(), host_.host(), &cfg, &plugin_, &err);
    create_message_ = buffer;
  }
  ~PluginHarness() {
    if (plugin_ != nullptr) api_->destroy(plugin_);
    // Never dlclose: plugins are not unloaded while the process runs (CONTRACT.md).
  }
  PluginHarness(const PluginHarness&) = delete;
  PluginHarness& operator=(const PluginHarness&) = delete;

  const mdp_plugin_api* api() const { return api_; }
  mdp_status create_status() const { return create_status_; }
  const std::string& create_message() const { return create_message_; }

  OperationResult list_symbols() {
    OperationResult result;
    mdp_symbol_sink sink{sizeof(mdp_symbol_sink), &result, &PluginHarness::on_symbols};
    char buffer[1024] = {0};
    mdp_error err{sizeof(mdp_error), buffer, sizeof buffer, -1, 0};
    result.status = api_->list_symbols(plugin_, host_.call(), &sink, &err);
    finish(result, err, buffer);
    return result;
  }

  OperationResult fetch_candles(const std::string& native, const std::string& interval,
                                std::int64_t start_ms, std::int64_t end_ms, std::uint32_t max_rows) {
    OperationResult result;
    mdp_candle_sink sink{sizeof(mdp_candle_sink), &result, &PluginHarness::on_candles};
    mdp_candle_request req{sizeof(mdp_candle_request), native.c_str(), interval.c_str(), start_ms, end_ms,
                           max_rows};
    result.page.struct_size = sizeof(mdp_candle_page);
    result.page.next_start_ms = -2;  // the plugin must overwrite it
    result.page.available_from_ms = -2;
    char buffer[1024] = {0};
    mdp_error err{sizeof(mdp_error), buffer, sizeof buffer, -1, 0};
    result.status = api_->fetch_candles(plugin_, host_.call(), &req, &sink, &result.page, &err);
    finish(result, err, buffer);
    return result;
  }

 private:
  static void finish(OperationResult& result, const mdp_error& err, const char* buffer) {
    result.message = buffer;
    result.retry_after_ms = err.retry_after_ms;
    result.upstream_status = err.upstream_status;
  }
  static std::string text(const char* s) { return s ? s : ""; }

  template <class Row>
  static Row read_row(const void* base, std::size_t index, std::size_t stride) {
    Row row{};
    const auto* bytes = static_cast<const unsigned char*>(base) + index * stride;
    std::size_t size = 0;
    std::memcpy(&size, bytes, sizeof size);
    std::memcpy(&row, bytes, size < sizeof(Row) ? size : sizeof(Row));
    return row;
  }

  static mdp_status on_symbols(void* ctx, const mdp_symbol* rows, std::size_t count, std::size_t stride) {
    auto* result = static_cast<OperationResult*>(ctx);
    for (std::size_t i = 0; i < count; ++i) {
      const auto r = read_row<mdp_symbol>(rows, i, stride);
      sdk::Symbol s;
      s.symbol = text(r.symbol);
      s.native_symbol = text(r.native_symbol);
      s.market_type = r.market_type;
      s.status = r.status;
      s.base = text(r.base);
      s.quote = text(r.quote);
      s.settle = text(r.settle);
      s.tick_size = text(r.tick_size);
      s.lot_step = text(r.lot_step);
      s.min_qty = text(r.min_qty);
      s.min_notional = text(r.min_notional);
      s.contract_size = text(r.contract_size);
      s.listed_at_ms = r.listed_at_ms;
      s.delivery_at_ms = r.delivery_at_ms;
      s.price_max_decimals = r.price_max_decimals;
      s.price_max_sig_figs = r.price_max_sig_figs;
      s.alias_of = text(r.alias_of);
      s.native_status = text(r.native_status);
      result->symbols.push_back(std::move(s));
    }
    return MDP_OK;
  }

  static mdp_status on_candles(void* ctx, const mdp_candle* rows, std::size_t count, std::size_t stride) {
    auto* result = static_cast<OperationResult*>(ctx);
    for (std::size_t i = 0; i < count; ++i) {
      const auto r = read_row<mdp_candle>(rows, i, stride);
      sdk::Candle c;
      c.open_time_ms = r.open_time_ms;
      c.close_time_ms = r.close_time_ms;
      c.open = text(r.open);
      c.high = text(r.high);
      c.low = text(r.low);
      c.close = text(r.close);
      c.volume = text(r.volume);
      c.quote_volume = text(r.quote_volume);
      c.trades = r.trades;
      c.closed = r.closed != 0;
      result->candles.push_back(std::move(c));
    }
    return MDP_OK;
  }

  ScriptedHost& host_;
  void* handle_ = nullptr;
  const mdp_plugin_api* api_ = nullptr;
  mdp_plugin* plugin_ = nullptr;
  mdp_status create_status_ = MDP_E_INTERNAL;
  std::string create_message_;
};

// Reads a file under $MDP_SOURCE_DIR (e.g. "tests/fixtures/binance_futures/klines.json").
inline std::string read_source_file(const std::string& relative) {
  const char* dir = std::getenv("MDP_SOURCE_DIR");
  if (dir == nullptr) throw std::runtime_error("MDP_SOURCE_DIR is not set (run through ctest)");
  const std::string path = std::string(dir) + "/" + relative;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw std::runtime_error("cannot open " + path);
  std::string data;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  std::fclose(f);
  return data;
}

// Directory of the recorded real responses (../shared/fixtures), or "" when absent.
inline std::string shared_fixtures_dir() {
  const char* dir = std::getenv("MDP_SOURCE_DIR");
  if (dir == nullptr) return "";
  const std::string path = std::string(dir) + "/../shared/fixtures";
  std::FILE* f = std::fopen((path + "/SOURCES.md").c_str(), "rb");
  if (f == nullptr) return "";
  std::fclose(f);
  return path;
}

}  // namespace mdp::testing
