#include "ApiRoutes.hpp"

#include "AdminSyncRoute.hpp"
#include "CandlesRoute.hpp"
#include "ExchangesRoute.hpp"
#include "IntervalsRoute.hpp"
#include "OpenApiRoute.hpp"
#include "SymbolChangesRoute.hpp"
#include "SymbolResolveRoute.hpp"
#include "SymbolsRoute.hpp"
#include "SyncRunsRoute.hpp"

namespace mdp::api {

void register_api_routes(http::Router& router, const ApiDependencies& dependencies) {
  using http::HttpMethod;
  router.add(HttpMethod::Get, "/v1/exchanges", std::make_shared<ExchangesRoute>(dependencies.exchanges));
  router.add(HttpMethod::Get, "/v1/intervals", std::make_shared<IntervalsRoute>(dependencies.exchanges));
  router.add(HttpMethod::Get, "/v1/symbols", std::make_shared<SymbolsRoute>(dependencies.symbols, dependencies.cache,
                                                                          dependencies.metadata_cache_ttl));
  router.add(HttpMethod::Get, "/v1/symbols/resolve", std::make_shared<SymbolResolveRoute>(dependencies.symbols));
  router.add(HttpMethod::Get, "/v1/symbols/changes", std::make_shared<SymbolChangesRoute>(dependencies.symbols));
  router.add(HttpMethod::Get, "/v1/candles",
             std::make_shared<CandlesRoute>(dependencies.candles, dependencies.candle_timeout, dependencies.cache,
                                            dependencies.candles_cache_ttl));
  router.add(HttpMethod::Post, "/v1/admin/sync", std::make_shared<AdminSyncRoute>(dependencies.sync_admin));
  router.add(HttpMethod::Get, "/v1/admin/sync-runs", std::make_shared<SyncRunsRoute>(dependencies.sync_admin));
  router.add(HttpMethod::Get, "/openapi.json", std::make_shared<OpenApiRoute>());
}

}  // namespace mdp::api
