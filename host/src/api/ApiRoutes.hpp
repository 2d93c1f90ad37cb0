// Registers the public API (/v1/...) and GET /openapi.json on a router. The composition
// root builds the services (host/src/app) and hands them over here; routes keep them alive
// (shared_ptr) for as long as the router lives.
#pragma once

#include <chrono>
#include <memory>

#include "CandleRequestService.hpp"
#include "ExchangeInfoService.hpp"
#include "ResponseCache.hpp"
#include "Router.hpp"
#include "SymbolService.hpp"
#include "SyncAdminService.hpp"

namespace mdp::api {

struct ApiDependencies {
  std::shared_ptr<const service::ExchangeInfoService> exchanges;
  std::shared_ptr<const service::SymbolService> symbols;
  std::shared_ptr<const service::CandleRequestService> candles;
  std::shared_ptr<const service::SyncAdminService> sync_admin;
  std::chrono::milliseconds candle_timeout{30'000};  // candles.timeout_ms
  // Optional (null = nothing cached): closed candle ranges and /v1/symbols pages.
  std::shared_ptr<ResponseCache> cache;
  std::chrono::milliseconds candles_cache_ttl{600'000};  // cache.candles_ttl_s
  std::chrono::milliseconds metadata_cache_ttl{1'000};   // cache.metadata_ttl_ms
};

// Adds every route below; throws std::invalid_argument for a missing dependency (or a path
// already registered).
//   GET  /v1/exchanges            market:read
//   GET  /v1/intervals            market:read
//   GET  /v1/symbols              market:read
//   GET  /v1/symbols/resolve      market:read
//   GET  /v1/symbols/changes      market:read
//   GET  /v1/candles              market:read
//   POST /v1/admin/sync           admin
//   GET  /v1/admin/sync-runs      admin
//   GET  /openapi.json            (none)
void register_api_routes(http::Router& router, const ApiDependencies& dependencies);

}  // namespace mdp::api
