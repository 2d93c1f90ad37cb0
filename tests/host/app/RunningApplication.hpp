// An in-process mdp::app::Application for the integration tests: configuration read through
// the real load_app_config (so per-exchange defaults are the production ones), role api (no
// background sync: the fakes see only the test's requests), SQLite in a scratch directory,
// HTTP on 127.0.0.1 with a kernel-chosen port, every plugin's base_url pointing at a
// FakeExchangeServer on 127.0.0.1. Started in the constructor, stopped and
// destroyed (plugins unloaded last) in the destructor.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "AppConfig.hpp"
#include "Application.hpp"
#include "CallContext.hpp"
#include "ExchangeAdapter.hpp"
#include "ScratchDir.hpp"

namespace mdp::app::integration {

// The three exchange plugins the repository builds.
inline const char* const kBinance = "binance_futures";
inline const char* const kHyperliquid = "hyperliquid";
inline const char* const kCoinbase = "coinbase";

struct ApplicationOptions {
  std::filesystem::path plugin_dir;                  // default: $MDP_PLUGIN_BUILD_DIR
  std::map<std::string, std::string> base_urls;      // plugin id -> fake exchange URL; also the enabled list
  std::map<std::string, std::string> extra_settings; // more config keys (e.g. upstream.<id>.read_timeout_ms)
};

class RunningApplication {
 public:
  explicit RunningApplication(ApplicationOptions options);
  ~RunningApplication();
  RunningApplication(const RunningApplication&) = delete;
  RunningApplication& operator=(const RunningApplication&) = delete;

  Application& app() noexcept { return *app_; }
  // The adapter of a loaded plugin; throws naming the plugin's failure when it did not load.
  std::shared_ptr<domain::ExchangeAdapter> adapter(const std::string& id);

 private:
  ScratchDir work_{"mdp-app-inprocess"};
  std::unique_ptr<Application> app_;
};

// Deadlines for calls the tests expect to succeed: generous (loaded 2-core machine); running
// out is a failure of the code under test, not a timing assertion.
inline domain::CallContext generous_context() { return domain::CallContext::with_timeout(std::chrono::seconds(120)); }

}  // namespace mdp::app::integration
