#include "Application.hpp"

#include <Poco/Logger.h>

#include <chrono>
#include <iostream>

#include "ApiWiring.hpp"
#include "AuthModule.hpp"
#include "ClientsCommand.hpp"
#include "Database.hpp"
#include "DatabaseUrl.hpp"
#include "ExchangeRepository.hpp"
#include "HttpServer.hpp"
#include "KnownExchanges.hpp"
#include "Migrator.hpp"
#include "OperationalRoutes.hpp"
#include "PluginRegistry.hpp"
#include "ReadinessState.hpp"
#include "Router.hpp"
#include "ResponseCache.hpp"
#include "SymbolSyncJob.hpp"
#include "SyncRunRepository.hpp"
#include "SyncScheduler.hpp"
#include "UpstreamStack.hpp"

namespace mdp::app {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("app"); }

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::filesystem::path absolute_dir(const std::string& configured, const std::filesystem::path& fallback) {
  std::filesystem::path dir = configured.empty() ? fallback : std::filesystem::path(configured);
  return std::filesystem::absolute(dir).lexically_normal();
}

auth::AuthSettings auth_settings(const AppConfig& config) {
  auth::AuthSettings s;
  s.algorithm = config.jwt_algorithm;
  s.jwt_secret = config.jwt_secret;
  s.es256_key_file = config.es256_key_file;
  s.issuer = config.jwt_issuer;
  s.audience = config.jwt_audience;
  s.token_ttl_s = config.token_ttl_s;
  s.leeway_s = config.auth_leeway_s;
  s.revocation_check_ms = std::int64_t{config.auth_revocation_check_s} * 1000;
  s.token_cache_entries = static_cast<std::size_t>(config.auth_token_cache_entries);
  s.endpoint.per_address = {config.auth_throttle_per_address_per_minute, config.auth_throttle_per_address_per_minute};
  s.endpoint.per_client = {config.auth_throttle_per_client_per_minute, config.auth_throttle_per_client_per_minute};
  s.endpoint.hash_concurrency = config.auth_hash_concurrency;
  return s;
}

storage::DatabaseOptions database_options(const AppConfig& config) {
  storage::DatabaseOptions options;
  options.max_sessions = static_cast<std::size_t>(config.database_pool_size);
  return options;
}

net::BreakerPolicy breaker_policy(const AppConfig& config) {
  net::BreakerPolicy policy;
  policy.failure_threshold = config.upstream_breaker_failures;
  policy.cool_down = std::chrono::milliseconds(config.upstream_breaker_cooldown_ms);
  return policy;
}

net::RetryPolicy retry_policy(const AppConfig& config) {
  net::RetryPolicy policy;
  policy.budget.fraction = config.upstream_retry_budget_fraction;
  policy.budget.min_per_second = config.upstream_retry_budget_per_s;
  return policy;
}

std::vector<net::UpstreamConfig> upstream_configs(const AppConfig& config) {
  std::vector<net::UpstreamConfig> out;
  for (const PluginSettings& plugin : config.plugins) {
    const UpstreamSettings& s = config.upstream.at(plugin.id);
    net::UpstreamConfig u;
    u.exchange = plugin.id;
    u.allowed_base_urls.push_back(plugin.settings.at("base_url"));
    u.connect_timeout = std::chrono::milliseconds(s.connect_timeout_ms);
    u.read_timeout = std::chrono::milliseconds(s.read_timeout_ms);
    u.max_response_bytes = static_cast<std::size_t>(s.max_response_bytes);
    u.rate.weight_per_window = s.budget_per_minute;
    u.rate.window = std::chrono::minutes(1);
    u.rate.safety_fraction = s.budget_fraction;
    u.rate.used_weight_header = s.weight_header;
    out.push_back(std::move(u));
  }
  return out;
}

// Every plugin gets an explicit base_url: the operator's, or the exchange's own.
AppConfig with_base_urls(AppConfig config) {
  for (PluginSettings& plugin : config.plugins) {
    if (plugin.settings.count("base_url") != 0) continue;
    const auto known = known_base_url(plugin.id);
    if (!known) {
      throw ConfigError("plugins." + plugin.id + ".base_url: required for a plugin this host does not know");
    }
    plugin.settings["base_url"] = *known;
  }
  return config;
}

}  // namespace

Application::Application(AppConfig config, AppPaths paths)
    : config_(with_base_urls(std::move(config))),
      paths_(std::move(paths)),
      plugin_dir_(absolute_dir(config_.plugin_dir, paths_.exe_dir / ".." / "plugins")),
      schema_dir_(config_.schema_dir.empty() ? storage::default_schema_dir(paths_.exe_dir)
                                             : absolute_dir(config_.schema_dir, {})),
      readiness_(std::make_shared<ReadinessState>()) {
  storage::DatabaseUrl url;
  try {
    url = storage::parse_database_url(config_.database_url);
  } catch (const std::exception& e) {
    throw ConfigError(std::string("database.url: ") + e.what());
  }
  database_ = std::make_unique<storage::Database>(std::move(url), database_options(config_));
  try {
    auth_ = std::make_unique<auth::AuthModule>(auth_settings(config_), *database_);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(e.what());  // names the auth.* setting
  }
  if (auth_->uses_throwaway_key() && config_.role != Role::Syncer) {
    logger().warning("auth.jwt_secret not set (--dev): signing tokens with a random key; they will not survive a restart");
  }
  try {
    upstream_ = std::make_unique<net::UpstreamStack>(upstream_configs(config_), breaker_policy(config_),
                                                     retry_policy(config_));
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("plugins.<id>.base_url: ") + e.what());
  }
}

Application::~Application() { stop(); }

plugins::PluginRegistry& Application::plugins() { return *registry_; }
storage::Database& Application::database() { return *database_; }
std::shared_ptr<domain::MetadataSync> Application::metadata_sync() const { return sync_job_; }

std::uint16_t Application::http_port() const { return server_ ? server_->port() : 0; }

void Application::start() {
  plugins::PluginsConfig plugins_config;
  plugins_config.plugin_dir = plugin_dir_.string();
  plugins_config.check_file_permissions = config_.plugin_verify_permissions;
  for (const PluginSettings& plugin : config_.plugins) plugins_config.enabled.push_back({plugin.id, plugin.settings});
  registry_ = std::make_unique<plugins::PluginRegistry>(plugins_config, upstream_->upstream());
  if (config_.role != Role::Syncer) response_cache_ = make_response_cache(config_);
  create_syncer();

  std::string failed;
  bool any_loaded = false;
  for (const auto& status : registry_->statuses()) {
    if (status.state == plugins::PluginState::Loaded) {
      any_loaded = true;
      logger().information("plugin %s loaded (ABI %s)", status.id, status.abi);
    } else {
      failed += (failed.empty() ? "" : ", ") + status.id;
      logger().error("plugin %s failed: %s", status.id, status.reason);
    }
  }
  readiness_->set_plugins(any_loaded, failed.empty() ? "all loaded" : "failed: " + failed);

  if (!bootstrap_database()) {
    logger().warning("database unreachable at start; serving /health and retrying in the background");
  }
  watcher_ = std::thread([this] { watch_database(); });

  auto router = std::make_shared<http::Router>();
  http::add_operational_routes(*router, readiness_);
  auth_->add_routes(*router);
  // The data and admin API: on api and all hosts; a syncer host serves /health and /ready.
  if (config_.role != Role::Syncer) add_api_routes(*router, *database_, *registry_, sync_job_, config_, response_cache_);
  router_ = router;
  http::HttpServerConfig server_config;
  server_config.host = config_.server_host;
  server_config.port = static_cast<std::uint16_t>(config_.server_port);
  server_config.threads = config_.server_threads;
  server_config.queue = config_.server_queue;
  server_config.receive_timeout = std::chrono::seconds(config_.server_receive_timeout_s);
  server_config.keep_alive_timeout = std::chrono::seconds(config_.server_keepalive_timeout_s);
  server_config.max_uri_bytes = static_cast<std::size_t>(config_.server_max_uri_bytes);
  server_config.max_header_bytes = static_cast<std::size_t>(config_.server_max_header_bytes);
  server_config.max_body_bytes = static_cast<std::size_t>(config_.server_max_body_bytes);
  server_config.max_in_flight = config_.server_max_in_flight;
  server_config.rate_limit_per_minute = config_.api_rate_limit_per_minute;
  server_config.rate_limit_burst = config_.api_rate_limit_burst;
  server_ = std::make_unique<http::HttpServer>(server_config, router, auth_->authenticator());
  server_->start();
  logger().information("listening on http://%s:%hu (role %s)", config_.server_host, server_->port(),
                       std::string(to_string(config_.role)));
}

bool Application::bootstrap_database() {
  if (database_bootstrapped_.load()) return true;
  try {
    storage::Migrator migrator(*database_, schema_dir_);
    const storage::MigrationResult result = migrator.migrate();
    if (!result.applied.empty()) {
      logger().information("database migrated to version %d", result.current_version);
    }
    readiness_->set_migrations(true);
    readiness_->set_database(true);
    record_exchanges();
    if (config_.dev) announce_dev_client(*database_, auth_->hasher(), config_, std::cout);
    database_bootstrapped_.store(true);
    if (sync_scheduler_) sync_scheduler_->start();  // first syncs right away, then on schedule
    refresh_sync_freshness();
    return true;
  } catch (const storage::DatabaseUnavailable& e) {
    readiness_->set_database(false);
    logger().warning("database unavailable: %s", std::string(e.what()));
    return false;
  }
}

void Application::record_exchanges() {
  storage::ExchangeRepository exchanges(*database_);
  for (const auto& status : registry_->statuses()) {
    if (status.state == plugins::PluginState::Loaded && status.descriptor) {
      exchanges.record_loaded(*status.descriptor, now_ms());
    } else {
      storage::ExchangeRecord record;
      record.id = status.id;
      record.name = status.descriptor ? status.descriptor->name : status.id;
      record.plugin_version = status.descriptor ? status.descriptor->version : "";
      record.abi = status.abi;
      record.status = storage::ExchangeStatus::Failed;
      record.status_reason = status.reason;
      exchanges.upsert(record, now_ms());
    }
  }
}

void Application::create_syncer() {
  sync::SymbolSyncOptions options;
  options.max_delist_fraction = config_.sync_max_delist_fraction;
  // Hosts sharing a database: a scheduled sync right after another host's is skipped (D7).
  options.skip_scheduled_if_synced_within = std::chrono::seconds(config_.sync_interval_s) / 2;
  // Only this process's syncs: an api-only host (compose) serves metadata up to
  // cache.metadata_ttl_ms stale.
  if (response_cache_) {
    options.on_committed = [cache = response_cache_](const std::string& exchange) { cache->invalidate(exchange); };
  }
  plugins::PluginRegistry* registry = registry_.get();
  sync_job_ = std::make_shared<sync::SymbolSyncJob>(
      *database_, [registry](const std::string& id) { return registry->find(id); }, options);
  if (config_.role == Role::Api) return;  // api hosts sync only on demand

  std::vector<std::string> exchanges;
  for (const auto& adapter : registry_->adapters()) exchanges.push_back(adapter->descriptor().id);
  sync::SyncSchedule schedule;
  schedule.interval = std::chrono::seconds(config_.sync_interval_s);
  schedule.jitter = std::chrono::seconds(config_.sync_jitter_s);
  schedule.retry_initial = std::chrono::seconds(config_.sync_retry_initial_s);
  schedule.retry_max = std::chrono::seconds(config_.sync_retry_max_s);
  std::shared_ptr<sync::SymbolSyncJob> job = sync_job_;
  sync_scheduler_ = std::make_unique<sync::SyncScheduler>(
      exchanges, schedule,
      [job](const std::string& id, const domain::CallContext& context) { return job->run_scheduled(id, context); });
  logger().information("metadata syncer: %z exchange(s), every %d s + up to %d s jitter", exchanges.size(),
                       config_.sync_interval_s, config_.sync_jitter_s);
}

void Application::refresh_sync_freshness() {
  try {
    const std::map<std::string, std::int64_t> last = storage::SyncRunRepository(*database_).last_success_all();
    std::vector<ExchangeSyncFreshness> freshness;
    for (const auto& adapter : registry_->adapters()) {
      const std::string& id = adapter->descriptor().id;
      const auto it = last.find(id);
      freshness.push_back({id, it == last.end() ? std::nullopt : std::optional<std::int64_t>(it->second)});
    }
    readiness_->set_sync_freshness(std::move(freshness));
  } catch (const std::exception& e) {
    // Keep the last known freshness; the database check reports the outage.
    logger().debug("sync freshness not refreshed: %s", std::string(e.what()));
  }
}

void Application::watch_database() {
  std::unique_lock<std::mutex> lock(watcher_mutex_);
  while (!stopping_) {
    watcher_wake_.wait_for(lock, std::chrono::seconds(2));
    if (stopping_) break;
    lock.unlock();
    try {
      if (!database_bootstrapped_.load()) {
        bootstrap_database();
      } else {
        readiness_->set_database(database_->ping());
        refresh_sync_freshness();
      }
    } catch (const std::exception& e) {
      logger().error("database bootstrap failed: %s", std::string(e.what()));
    }
    lock.lock();
  }
}

void Application::stop() {
  // A running sync is cancelled (its transaction rolled back) and joined before the drain.
  if (sync_scheduler_) sync_scheduler_->stop();
  if (server_) server_->stop();
  {
    std::lock_guard<std::mutex> lock(watcher_mutex_);
    stopping_ = true;
  }
  watcher_wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

}  // namespace mdp::app
