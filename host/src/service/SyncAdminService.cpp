#include "SyncAdminService.hpp"

#include <algorithm>
#include <stdexcept>

#include "ExchangeRepository.hpp"
#include "PluginRegistry.hpp"
#include "ServiceErrors.hpp"
#include "StoreGuard.hpp"
#include "SyncRunRepository.hpp"

namespace mdp::service {

domain::SyncRunSummary SyncAdminService::sync_now(const std::string& exchange) const {
  const std::string unknown = "unknown exchange '" + shorten_for_message(exchange) + "'; see GET /v1/exchanges";
  if (!is_plausible_exchange_id(exchange)) throw NotFound(unknown);
  const auto& statuses = plugins_.statuses();
  const auto status = std::find_if(statuses.begin(), statuses.end(),
                                   [&](const plugins::PluginStatus& s) { return s.id == exchange; });
  if (status == statuses.end()) throw NotFound(unknown);
  if (status->state != plugins::PluginState::Loaded) {
    throw CapabilityUnavailable("exchange '" + exchange + "' cannot be synced: its plugin failed to load");
  }
  if (!sync_) throw CapabilityUnavailable("on-demand sync is not available on this host");
  const domain::CallContext context = domain::CallContext::with_timeout(timeout_);
  try {
    return guard_store([&] { return sync_->sync_now(exchange, context); });
  } catch (const std::invalid_argument&) {
    // MetadataSync's contract: the exchange is not loaded in the syncer.
    throw NotFound(unknown);
  }
}

std::vector<SyncRunInfo> SyncAdminService::recent_runs(const std::optional<std::string>& exchange,
                                                       std::size_t limit) const {
  return guard_store([&] {
    if (exchange && (!is_plausible_exchange_id(*exchange) || !storage::ExchangeRepository(database_).find(*exchange))) {
      throw NotFound("unknown exchange '" + shorten_for_message(*exchange) + "'; see GET /v1/exchanges");
    }
    const std::vector<storage::SyncRun> runs =
        storage::SyncRunRepository(database_).list_recent(exchange, std::clamp<std::size_t>(limit, 1, kMaxSyncRunsPerPage));
    std::vector<SyncRunInfo> out;
    out.reserve(runs.size());
    for (const storage::SyncRun& run : runs) {
      out.push_back(SyncRunInfo{run.id, run.exchange, run.started_at_ms, run.finished_at_ms,
                                std::string(storage::to_string(run.outcome)), run.counts.added, run.counts.changed,
                                run.counts.delisted, run.error});
    }
    return out;
  });
}

}  // namespace mdp::service
