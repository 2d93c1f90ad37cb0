// domain::ExchangeAdapter over one plugin instance: the host side of the C ABI.
//
// It owns the host services table the plugin sees (mdp_host_api: log -> Poco logger
// "plugin.<id>", log_enabled, now_ms from an injectable clock, http_send -> the injected
// domain::UpstreamHttp, is_cancelled -> CallContext), calls the plugin's operations with a
// breadcrumb logged first, maps statuses to domain::AdapterError, and validates everything
// the plugin emits (OutputValidation.hpp) before converting it to the canonical model.
//
// Lifetime: the adapter holds a shared_ptr to its PluginLibrary, so the library stays
// loaded as long as any adapter lives; the destructor calls the plugin's destroy() first.
// A call abandoned at its deadline keeps the library and the host services alive until it
// returns; while any call is stuck, the destructor leaks the instance instead of
// destroying it under the running call.
// thread: list_symbols/fetch_candles may run concurrently (the ABI marks them thread: any);
// create (in create()) and destroy (in the destructor) belong on the loader thread.
#pragma once

#include <mdp/plugin_abi.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "ExchangeAdapter.hpp"
#include "OutputValidation.hpp"
#include "PluginLibrary.hpp"
#include "UpstreamHttp.hpp"

namespace mdp::plugins {

struct AdapterOptions {
  // UTC milliseconds for the plugin's now_ms; empty = system clock.
  std::function<std::int64_t()> clock;
  OutputLimits limits;
  // Caps on what one operation may ask of http_send.
  std::size_t max_requests_per_call = 256;
  std::size_t max_retained_bytes_per_call = 256u * 1024u * 1024u;  // response bodies kept alive
  // Deadlines (RELIABILITY.md P8). Each operation runs on its own thread; the caller waits
  // until the plugin returns or until its CallContext is cancelled/expired plus this grace
  // (time for a cooperative plugin to notice is_cancelled and return its own status).
  // A plugin still running then is abandoned: the call fails with Timeout and counts as
  // stuck until it returns. With max_stuck_calls stuck, calls fail fast without running.
  bool isolate_calls = true;
  std::chrono::milliseconds abandon_grace{250};
  std::size_t max_stuck_calls = 4;
};

// "plugin=<id> op=<operation>" of the plugin call running on this thread, or nullptr.
// Readable from a crash handler (a static thread-local buffer, no allocation).
const char* current_plugin_call() noexcept;

namespace detail {
struct HostState;
}

class PluginAdapter final : public domain::ExchangeAdapter {
 public:
  // Creates one plugin instance (the plugin's create() with `settings` as its config).
  // Throws PluginLoadError (retaining the library) when create() fails, naming its message.
  // `upstream` must outlive the adapter.
  static std::shared_ptr<PluginAdapter> create(std::shared_ptr<const PluginLibrary> library,
                                               const std::map<std::string, std::string>& settings,
                                               domain::UpstreamHttp& upstream, AdapterOptions options = {});
  ~PluginAdapter() override;
  PluginAdapter(const PluginAdapter&) = delete;
  PluginAdapter& operator=(const PluginAdapter&) = delete;

  const domain::ExchangeDescriptor& descriptor() const override;
  std::vector<domain::Symbol> list_symbols(const domain::CallContext& context) override;
  domain::CandlePage fetch_candles(const domain::CandlePageRequest& request,
                                   const domain::CallContext& context) override;

  const std::string& id() const noexcept;
  const std::shared_ptr<const PluginLibrary>& library() const noexcept { return library_; }
  // Calls abandoned at their deadline that have not returned yet.
  std::size_t stuck_calls() const noexcept;

 private:
  PluginAdapter(std::shared_ptr<const PluginLibrary> library, domain::UpstreamHttp& upstream,
                AdapterOptions options);

  std::shared_ptr<const PluginLibrary> library_;  // declared first: destroyed last
  AdapterOptions options_;
  std::shared_ptr<detail::HostState> host_;  // shared with calls still running
  mdp_plugin* instance_ = nullptr;
};

}  // namespace mdp::plugins
