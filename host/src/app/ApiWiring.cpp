#include "ApiWiring.hpp"

#include <algorithm>
#include <chrono>

#include "ApiRoutes.hpp"
#include "ResponseCache.hpp"

namespace mdp::app {
namespace {

// An on-demand sync runs in the request's thread; the syncer's own job timeout is of the
// same order (SyncSchedule::job_timeout).
constexpr std::chrono::minutes kAdminSyncTimeout{2};

}  // namespace

std::shared_ptr<api::ResponseCache> make_response_cache(const AppConfig& config) {
  // Shards of at least 4 MiB, so a large candle range (10,000 rows: ~2 MB) still fits one.
  constexpr std::size_t kMinShardBytes = 4 * 1024 * 1024;
  const auto max_bytes = static_cast<std::size_t>(config.cache_max_bytes);
  const std::size_t shards = std::clamp<std::size_t>(max_bytes / kMinShardBytes, 1, api::ResponseCache::kDefaultShards);
  return std::make_shared<api::ResponseCache>(max_bytes, std::chrono::steady_clock::now, shards);
}

void add_api_routes(http::Router& router, storage::Database& database, const plugins::PluginRegistry& plugins,
                    std::shared_ptr<domain::MetadataSync> sync, const AppConfig& config,
                    std::shared_ptr<api::ResponseCache> cache) {
  service::CandleServiceLimits limits;
  limits.max_rows = static_cast<std::size_t>(config.candles_max_rows);
  limits.max_pages = static_cast<std::size_t>(config.candles_max_pages);
  for (const auto& [id, upstream] : config.upstream) {
    limits.concurrent_pages_by_exchange[id] = static_cast<std::size_t>(upstream.candle_concurrency);
  }

  api::ApiDependencies dependencies;
  dependencies.exchanges = std::make_shared<service::ExchangeInfoService>(database, plugins);
  dependencies.symbols = std::make_shared<service::SymbolService>(database);
  dependencies.candles = std::make_shared<service::CandleRequestService>(database, plugins, limits);
  dependencies.sync_admin =
      std::make_shared<service::SyncAdminService>(database, plugins, std::move(sync), kAdminSyncTimeout);
  dependencies.candle_timeout = std::chrono::milliseconds(config.candles_timeout_ms);
  dependencies.cache = std::move(cache);
  dependencies.candles_cache_ttl = std::chrono::seconds(config.cache_candles_ttl_s);
  dependencies.metadata_cache_ttl = std::chrono::milliseconds(config.cache_metadata_ttl_ms);
  api::register_api_routes(router, dependencies);
}

}  // namespace mdp::app
