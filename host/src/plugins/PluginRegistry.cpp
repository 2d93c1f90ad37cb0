#include "PluginRegistry.hpp"

#include <Poco/Logger.h>

#include <algorithm>
#include <set>

#include "PluginText.hpp"

namespace mdp::plugins {

const char* to_string(PluginState state) noexcept {
  return state == PluginState::Loaded ? "loaded" : "failed";
}

PluginRegistry::PluginRegistry(const PluginsConfig& config, domain::UpstreamHttp& upstream, AdapterOptions options) {
  Poco::Logger& log = Poco::Logger::get("plugins");
  std::set<std::string> configured;

  LoadPolicy policy;
  policy.check_file_permissions = config.check_file_permissions;
  if (!config.check_file_permissions) {
    log.warning("plugin file owner/mode checks are OFF (check_file_permissions = false): dev setups only");
  }
  policy.already_loaded = [this](const std::string& id) -> std::optional<std::string> {
    for (const auto& adapter : adapters_) {
      if (adapter->id() == id) return adapter->library()->path();
    }
    return std::nullopt;
  };

  for (const PluginConfig& entry : config.enabled) {
    PluginStatus status;
    status.id = entry.id;
    try {
      if (!configured.insert(entry.id).second) {
        const bool loaded = find(entry.id) != nullptr;
        throw PluginLoadError("plugin '" + sanitize(entry.id, 64) + "': listed more than once in the configuration" +
                              (loaded ? " (already loaded)" : ""));
      }
      if (is_valid_plugin_id(entry.id) && !config.plugin_dir.empty()) {
        std::string dir = config.plugin_dir;
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        status.path = (dir == "/" ? std::string() : dir) + "/mdp-" + entry.id + ".so";
      }
      std::shared_ptr<const PluginLibrary> library = PluginLibrary::open(config.plugin_dir, entry.id, policy);
      status.descriptor = library->descriptor();
      status.abi = library->descriptor().abi;
      std::shared_ptr<PluginAdapter> adapter = PluginAdapter::create(library, entry.settings, upstream, options);
      adapters_.push_back(std::move(adapter));
      status.state = PluginState::Loaded;
      const domain::ExchangeDescriptor& d = library->descriptor();
      log.information("loaded plugin '" + d.id + "' (" + d.name + " " + d.version + ", ABI " + d.abi + ", " +
                      std::to_string(d.intervals.size()) + " intervals) from " + library->resolved_path());
    } catch (const PluginLoadError& e) {
      if (e.retained()) retained_.push_back(e.retained());
      status.state = PluginState::Failed;
      status.reason = e.what();
    } catch (const std::exception& e) {
      status.state = PluginState::Failed;
      status.reason = "plugin '" + sanitize(entry.id, 64) + "': unexpected error while loading: " + e.what();
    }
    if (status.state == PluginState::Failed) log.error("plugin refused: " + status.reason);
    statuses_.push_back(std::move(status));
  }
}

PluginRegistry::~PluginRegistry() {
  // Instances first (destroy() runs while its library is loaded), libraries last.
  adapters_.clear();
  while (!retained_.empty()) retained_.pop_back();
}

std::vector<std::shared_ptr<domain::ExchangeAdapter>> PluginRegistry::adapters() const {
  return {adapters_.begin(), adapters_.end()};
}

std::shared_ptr<domain::ExchangeAdapter> PluginRegistry::find(std::string_view id) const {
  for (const auto& adapter : adapters_) {
    if (adapter->id() == id) return adapter;
  }
  return nullptr;
}

bool PluginRegistry::all_loaded() const noexcept {
  return std::all_of(statuses_.begin(), statuses_.end(),
                     [](const PluginStatus& s) { return s.state == PluginState::Loaded; });
}

}  // namespace mdp::plugins
