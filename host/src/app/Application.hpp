// The composition root: builds every layer from AppConfig and wires them through
// constructors. Nothing else in the host reaches for globals or Application::instance().
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "AppConfig.hpp"

namespace mdp::storage {
class Database;
}
namespace mdp::net {
class UpstreamStack;
}
namespace mdp::plugins {
class PluginRegistry;
}
namespace mdp::http {
class HttpServer;
class Router;
}
namespace mdp::auth {
class AuthModule;
}
namespace mdp::api {
class ResponseCache;
}
namespace mdp::domain {
class MetadataSync;
}
namespace mdp::sync {
class SymbolSyncJob;
class SyncScheduler;
}

namespace mdp::app {

class ReadinessState;

struct AppPaths {
  std::filesystem::path exe_dir;  // where mdp-host lives; defaults are found relative to it
};

class Application {
 public:
  // Throws ConfigError for settings that only make sense once resolved (paths, URLs).
  Application(AppConfig config, AppPaths paths);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Migrates the database (or keeps retrying in the background while it is unreachable),
  // loads the plugins, records them, starts serving. Throws for fatal errors only (a
  // tampered migration, a port that cannot be bound).
  void start();
  // Stops serving (draining), stops background work, then unloads nothing: plugins stay
  // loaded until the object goes.
  void stop();

  std::uint16_t http_port() const;
  const AppConfig& config() const noexcept { return config_; }
  plugins::PluginRegistry& plugins();
  storage::Database& database();
  // The on-demand metadata sync (POST /v1/admin/sync), in every role: an admin may trigger
  // a sync from an api host too. Null before start().
  std::shared_ptr<domain::MetadataSync> metadata_sync() const;
  // Every route this host serves (null before start()): the OpenAPI test compares it with
  // the document (RELIABILITY.md A6).
  const http::Router* router() const noexcept { return router_.get(); }

 private:
  bool bootstrap_database();  // true once migrations are current and plugins recorded
  void record_exchanges();
  void watch_database();
  void create_syncer();           // the sync job (every role) and, in syncer/all, the scheduler
  void refresh_sync_freshness();  // /ready's per-exchange "sync:<id>" checks, from sync_runs

  AppConfig config_;
  AppPaths paths_;
  std::filesystem::path plugin_dir_;
  std::filesystem::path schema_dir_;
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<auth::AuthModule> auth_;  // token endpoint + bearer checks; uses database_
  std::unique_ptr<net::UpstreamStack> upstream_;  // transport, breakers, retries: what plugins use
  std::unique_ptr<plugins::PluginRegistry> registry_;
  std::shared_ptr<ReadinessState> readiness_;
  std::shared_ptr<const http::Router> router_;  // the server's; kept for routes()
  std::unique_ptr<http::HttpServer> server_;
  // The API's response cache (null on a syncer host); the syncer drops an exchange's
  // entries when it commits a sync of it.
  std::shared_ptr<api::ResponseCache> response_cache_;
  std::shared_ptr<sync::SymbolSyncJob> sync_job_;
  std::unique_ptr<sync::SyncScheduler> sync_scheduler_;  // started once the database is bootstrapped

  std::atomic<bool> database_bootstrapped_{false};
  std::mutex watcher_mutex_;
  std::condition_variable watcher_wake_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace mdp::app
