// Loads every enabled plugin once at start and keeps them for the process lifetime.
//
// A plugin that fails any load check, or whose create() fails, is recorded as failed with
// the reason (for /v1/exchanges and /ready) and logged; it never stops the other plugins
// or the host. Nothing is unloaded while the registry lives: on destruction the plugin
// instances are destroyed first and the libraries closed last (an adapter still held
// elsewhere keeps its own library loaded until it goes).
//
// thread: construct and destroy on the loader thread; the const accessors are safe from any
// thread (the registry does not change after construction).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ExchangeAdapter.hpp"
#include "PluginAdapter.hpp"
#include "UpstreamHttp.hpp"

namespace mdp::plugins {

// One enabled plugin: its id (the file is <plugin_dir>/mdp-<id>.so) and the settings passed
// to its create() as mdp_plugin_config entries (e.g. base_url). Values may be secrets: the
// host never logs them.
struct PluginConfig {
  std::string id;
  std::map<std::string, std::string> settings;
};

struct PluginsConfig {
  std::string plugin_dir;  // absolute; the only place plugins load from
  std::vector<PluginConfig> enabled;
  // sudo's owner/mode rule on plugin files and directories. Default ON; only a dev build
  // whose plugin dir is group-writable may turn it off.
  bool check_file_permissions = true;
};

enum class PluginState { Loaded, Failed };
const char* to_string(PluginState state) noexcept;  // "loaded" / "failed"

struct PluginStatus {
  std::string id;        // the configured id
  PluginState state = PluginState::Failed;
  std::string reason;    // why it failed ("" when loaded); names the file and the rule
  std::string path;      // <plugin_dir>/mdp-<id>.so, "" when the config entry was refused
  std::optional<domain::ExchangeDescriptor> descriptor;  // once the descriptor was validated
  std::string abi;       // "major.minor" the plugin was built with, "" when unknown
};

class PluginRegistry {
 public:
  // Loads every entry of config.enabled in order. Never throws for a bad plugin.
  // `upstream` must outlive the registry and every adapter taken from it.
  PluginRegistry(const PluginsConfig& config, domain::UpstreamHttp& upstream, AdapterOptions options = {});
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // One entry per configured plugin, in config order.
  const std::vector<PluginStatus>& statuses() const noexcept { return statuses_; }
  // The adapters of the loaded plugins, in config order.
  std::vector<std::shared_ptr<domain::ExchangeAdapter>> adapters() const;
  // The adapter of a loaded plugin, or null.
  std::shared_ptr<domain::ExchangeAdapter> find(std::string_view id) const;
  // True when every configured plugin loaded (for /ready).
  bool all_loaded() const noexcept;

 private:
  std::vector<PluginStatus> statuses_;
  std::vector<std::shared_ptr<PluginAdapter>> adapters_;
  // Libraries that failed after dlopen (their initialisers ran): kept loaded, closed last.
  std::vector<std::shared_ptr<const void>> retained_;
};

}  // namespace mdp::plugins
