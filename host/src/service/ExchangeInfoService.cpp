#include "ExchangeInfoService.hpp"

#include <algorithm>
#include <map>

#include "ExchangeRepository.hpp"
#include "PluginRegistry.hpp"
#include "StoreGuard.hpp"

namespace mdp::service {
namespace {

const plugins::PluginStatus* find_status(const plugins::PluginRegistry& registry, const std::string& id) {
  for (const plugins::PluginStatus& status : registry.statuses()) {
    if (status.id == id) return &status;
  }
  return nullptr;
}

// Load-failure reasons name files ("/opt/mdp/plugins/mdp-x.so: dlopen failed: …"). Clients
// get the file name only: the host's directory layout is not theirs to know (API8).
std::string without_directories(const std::string& reason) {
  std::string out;
  out.reserve(reason.size());
  std::size_t i = 0;
  while (i < reason.size()) {
    const bool path_start = reason[i] == '/' && (i == 0 || reason[i - 1] == ' ' || reason[i - 1] == '\'' ||
                                                 reason[i - 1] == '"' || reason[i - 1] == '(');
    if (!path_start) {
      out.push_back(reason[i++]);
      continue;
    }
    std::size_t end = i;
    while (end < reason.size() && reason[end] != ' ' && reason[end] != '\'' && reason[end] != '"' &&
           reason[end] != ':' && reason[end] != ',' && reason[end] != ')') {
      ++end;
    }
    const std::string path = reason.substr(i, end - i);
    const std::size_t slash = path.find_last_of('/');
    out += slash + 1 < path.size() ? path.substr(slash + 1) : std::string("(directory)");
    i = end;
  }
  return out;
}

// The local registry decides the status: the database row may have been written by another
// host, or by this one before a restart with a different configuration.
void apply_local_status(ExchangeSummary& summary, const plugins::PluginStatus* local) {
  if (local == nullptr) {
    summary.status = "disabled";
    summary.status_reason = "not enabled on this host";
    summary.candles_supported = false;
    summary.symbols_supported = false;
    return;
  }
  const bool loaded = local->state == plugins::PluginState::Loaded;
  summary.status = plugins::to_string(local->state);
  summary.status_reason =
      loaded ? std::nullopt : std::optional<std::string>(without_directories(local->reason));
  // Every loaded plugin implements both operations (the loader refuses a NULL one).
  summary.candles_supported = loaded;
  summary.symbols_supported = loaded;
  if (local->descriptor) {
    summary.name = local->descriptor->name;
    summary.plugin_version = local->descriptor->version;
  }
  if (!local->abi.empty()) summary.abi = local->abi;
}

}  // namespace

std::vector<ExchangeSummary> ExchangeInfoService::exchanges() const {
  return guard_store([&] {
    storage::ExchangeRepository repository(database_);
    std::map<std::string, ExchangeSummary> by_id;
    for (const storage::ExchangeRecord& record : repository.list()) {
      ExchangeSummary summary;
      summary.id = record.id;
      summary.name = record.name;
      summary.plugin_version = record.plugin_version;
      summary.abi = record.abi;
      summary.interval_count = repository.intervals(record.id).size();
      summary.last_successful_sync_ms = record.last_successful_sync_ms;
      apply_local_status(summary, find_status(plugins_, record.id));
      by_id.emplace(record.id, std::move(summary));
    }
    // A plugin configured here but not recorded yet (the database came up after it loaded).
    for (const plugins::PluginStatus& status : plugins_.statuses()) {
      if (!is_plausible_exchange_id(status.id) || by_id.count(status.id) != 0) continue;
      ExchangeSummary summary;
      summary.id = status.id;
      summary.name = status.id;
      if (status.descriptor) summary.interval_count = status.descriptor->intervals.size();
      apply_local_status(summary, &status);
      by_id.emplace(status.id, std::move(summary));
    }
    std::vector<ExchangeSummary> out;
    out.reserve(by_id.size());
    for (auto& entry : by_id) out.push_back(std::move(entry.second));
    return out;
  });
}

std::vector<ExchangeIntervals> ExchangeInfoService::intervals() const {
  return guard_store([&] {
    storage::ExchangeRepository repository(database_);
    std::vector<ExchangeIntervals> out;
    for (const storage::ExchangeRecord& record : repository.list()) {
      out.push_back(ExchangeIntervals{record.id, repository.intervals(record.id)});
    }
    return out;
  });
}

}  // namespace mdp::service
