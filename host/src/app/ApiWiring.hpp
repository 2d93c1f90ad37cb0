// Builds the API's services over what the application owns (database, plugins, syncer) and
// registers the /v1 routes and /openapi.json. Kept out of Application.cpp so the API's
// wiring is one small file, and so tests can compose a server the way the host does.
#pragma once

#include <memory>

#include "AppConfig.hpp"

namespace mdp::storage {
class Database;
}
namespace mdp::plugins {
class PluginRegistry;
}
namespace mdp::domain {
class MetadataSync;
}
namespace mdp::http {
class Router;
}
namespace mdp::api {
class ResponseCache;
}

namespace mdp::app {

// `database` and `plugins` must outlive the router; `sync` may be null (no on-demand sync:
// POST /v1/admin/sync answers 503). Limits come from config.candles_*, cache TTLs from
// config.cache_*; `cache` may be null (nothing cached).
void add_api_routes(http::Router& router, storage::Database& database, const plugins::PluginRegistry& plugins,
                    std::shared_ptr<domain::MetadataSync> sync, const AppConfig& config,
                    std::shared_ptr<api::ResponseCache> cache = nullptr);

// The response cache config.cache_max_bytes asks for (disabled when 0), in shards of at
// least 4 MiB (at most 16) so one large candle range still fits a shard.
std::shared_ptr<api::ResponseCache> make_response_cache(const AppConfig& config);

}  // namespace mdp::app
