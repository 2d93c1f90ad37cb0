#include "ApiWiring.hpp"

#include <chrono>

#include "ApiRoutes.hpp"

namespace mdp::app {
namespace {

// An on-demand sync runs in the request's thread; the syncer's own job timeout is of the
// same order (SyncSchedule::job_timeout).
constexpr std::chrono::minutes kAdminSyncTimeout{2};

}  // namespace

void add_api_routes(http::Router& router, storage::Database& database, const plugins::PluginRegistry& plugins,
                    std::shared_ptr<domain::MetadataSync> sync, const AppConfig& config) {
  service::CandleServiceLimits limits;
  limits.max_rows = static_cast<std::size_t>(config.candles_max_rows);
  limits.max_pages = static_cast<std::size_t>(config.candles_max_pages);
  limits.max_concurrent_pages = static_cast<std::size_t>(config.candles_concurrency);

  api::ApiDependencies dependencies;
  dependencies.exchanges = std::make_shared<service::ExchangeInfoService>(database, plugins);
  dependencies.symbols = std::make_shared<service::SymbolService>(database);
  dependencies.candles = std::make_shared<service::CandleRequestService>(database, plugins, limits);
  dependencies.sync_admin =
      std::make_shared<service::SyncAdminService>(database, plugins, std::move(sync), kAdminSyncTimeout);
  dependencies.candle_timeout = std::chrono::milliseconds(config.candles_timeout_ms);
  api::register_api_routes(router, dependencies);
}

}  // namespace mdp::app
