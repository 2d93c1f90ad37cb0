// The host's whole configuration, read once at start from a properties file, environment
// overrides and command-line options, validated with messages that name the key.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace Poco::Util {
class AbstractConfiguration;
}

namespace mdp::app {

enum class Role { Api, Syncer, All };
const char* to_string(Role role) noexcept;

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PluginSettings {
  std::string id;
  std::map<std::string, std::string> settings;  // plugins.<id>.<key>, passed to the plugin
};

struct UpstreamSettings {
  std::int64_t connect_timeout_ms = 3000;
  std::int64_t read_timeout_ms = 10'000;
  std::int64_t max_response_bytes = 8 * 1024 * 1024;
  std::int64_t budget_per_minute = 600;  // request weight per minute the exchange allows
  double budget_fraction = 0.8;          // share of it we allow ourselves
  std::string weight_header;             // header reporting used weight, "" none
  int candle_concurrency = 4;            // candle pages in flight at once for one request
};

struct AppConfig {
  Role role = Role::All;
  bool dev = false;

  std::string database_url = "sqlite:var/mdp.db";
  int database_pool_size = 8;
  std::string schema_dir;  // "" = next to the binary or the source tree

  std::string server_host = "127.0.0.1";
  int server_port = 8080;
  int server_threads = 64;
  int server_queue = 256;
  int server_receive_timeout_s = 10;
  int server_keepalive_timeout_s = 5;
  int server_max_uri_bytes = 2048;
  int server_max_header_bytes = 16 * 1024;
  int server_max_body_bytes = 8 * 1024;
  int server_max_in_flight = 0;  // 0 = server_threads

  int api_rate_limit_per_minute = 600;  // per client id; 0 = off
  int api_rate_limit_burst = 100;

  std::string jwt_algorithm = "HS256";  // or ES256 with es256_key_file
  std::string jwt_secret;
  std::string es256_key_file;
  std::string jwt_issuer = "mdp";
  std::string jwt_audience = "mdp-api";
  int token_ttl_s = 900;
  int auth_leeway_s = 60;
  int auth_revocation_check_s = 30;
  int auth_token_cache_entries = 10'000;
  int auth_throttle_per_address_per_minute = 20;
  int auth_throttle_per_client_per_minute = 60;
  int auth_hash_concurrency = 2;

  std::string plugin_dir;  // "" = next to the binary
  bool plugin_verify_permissions = true;
  std::vector<PluginSettings> plugins;
  std::map<std::string, UpstreamSettings> upstream;  // by plugin id
  // Per exchange, same figures for all: circuit breaker (U11) and 5xx retry budget (U5).
  int upstream_breaker_failures = 5;  // 0 = no breaker
  int upstream_breaker_cooldown_ms = 10'000;
  double upstream_retry_budget_fraction = 0.1;
  int upstream_retry_budget_per_s = 1;

  int sync_interval_s = 3600;
  int sync_jitter_s = 300;
  double sync_max_delist_fraction = 0.5;
  int sync_retry_initial_s = 30;
  int sync_retry_max_s = 1800;

  int candles_max_rows = 10'000;
  int candles_max_pages = 64;
  int candles_timeout_ms = 30'000;

  // The API's response cache (api::ResponseCache); max_bytes 0 = off.
  int cache_max_bytes = 64 * 1024 * 1024;
  int cache_candles_ttl_s = 600;
  int cache_metadata_ttl_ms = 1'000;
};

// Command-line values; empty/unset means "not given".
struct CommandLine {
  std::string role;
  bool dev = false;
  // `mdp-host clients …`: issues no tokens, so it needs no JWT secret.
  bool client_admin = false;
};

// Environment variables the host reads: MDP_<KEY> with dots as underscores
// (server.port → MDP_SERVER_PORT), plus MDP_JWT_SECRET and MDP_PLUGIN_DIR.
using Environment = std::map<std::string, std::string>;
Environment process_environment();

// Reads and validates; throws ConfigError naming the key and the rule.
AppConfig load_app_config(const Poco::Util::AbstractConfiguration& file, const Environment& env,
                          const CommandLine& cli);

// One line per key with its default and env variable, for --help and docs/operations.md.
struct ConfigKeyDoc {
  std::string key;
  std::string default_value;
  std::string env;
  std::string description;
};
const std::vector<ConfigKeyDoc>& config_reference();

}  // namespace mdp::app
