#include "AppConfig.hpp"

#include <Poco/Util/AbstractConfiguration.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <set>

extern char** environ;

namespace mdp::app {
namespace {

// Secrets that appear in docs, samples and tutorials: refused outside --dev.
const std::set<std::string>& sample_secrets() {
  static const std::set<std::string> samples = {
      "secret", "changeme", "change-me", "password", "your-256-bit-secret",
      "dev-secret-dev-secret-dev-secret-dev-secret",
      "replace-me-with-at-least-32-random-bytes-please",
  };
  return samples;
}

std::string env_name(const std::string& key) {
  std::string name = "MDP_";
  for (char c : key) name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  auto flush = [&] {
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    item.clear();
  };
  for (char c : text) {
    if (c == ',') {
      flush();
    } else {
      item += c;
    }
  }
  flush();
  return out;
}

bool valid_plugin_id(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// Looks a key up in: environment (MDP_<KEY> or an alias), then the file.
class Source {
 public:
  Source(const Poco::Util::AbstractConfiguration& file, const Environment& env) : file_(file), env_(env) {}

  bool find(const std::string& key, std::string& value, const std::string& alias = "") const {
    for (const std::string& name : {alias, env_name(key)}) {
      if (name.empty()) continue;
      auto it = env_.find(name);
      if (it != env_.end()) {
        value = it->second;
        return true;
      }
    }
    if (file_.hasProperty(key)) {
      value = file_.getRawString(key);
      return true;
    }
    return false;
  }

  std::string text(const std::string& key, const std::string& fallback, const std::string& alias = "") const {
    std::string value;
    return find(key, value, alias) ? value : fallback;
  }

  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t min, std::int64_t max) const {
    std::string value;
    if (!find(key, value)) return fallback;
    std::int64_t parsed = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
      throw ConfigError(key + ": '" + value + "' is not a whole number");
    }
    if (parsed < min || parsed > max) {
      throw ConfigError(key + ": " + value + " is out of range [" + std::to_string(min) + ", " +
                        std::to_string(max) + "]");
    }
    return parsed;
  }

  int small_integer(const std::string& key, int fallback, int min, int max) const {
    return static_cast<int>(integer(key, fallback, min, max));
  }

  double fraction(const std::string& key, double fallback) const {
    std::string value;
    if (!find(key, value)) return fallback;
    char* end = nullptr;
    const double parsed = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || !(parsed > 0.0) || parsed > 1.0) {
      throw ConfigError(key + ": '" + value + "' must be a number in (0, 1]");
    }
    return parsed;
  }

  bool boolean(const std::string& key, bool fallback) const {
    std::string value;
    if (!find(key, value)) return fallback;
    if (value == "true" || value == "1" || value == "yes" || value == "on") return true;
    if (value == "false" || value == "0" || value == "no" || value == "off") return false;
    throw ConfigError(key + ": '" + value + "' must be true or false");
  }

  // Keys below `prefix.` in the file plus MDP_ variables for the given setting names.
  std::map<std::string, std::string> subtree(const std::string& prefix) const {
    std::map<std::string, std::string> out;
    Poco::Util::AbstractConfiguration::Keys keys;
    file_.keys(prefix, keys);
    for (const auto& k : keys) {
      const std::string full = prefix + "." + k;
      if (file_.hasProperty(full)) out[k] = file_.getRawString(full);
    }
    // Environment overrides for well-known plugin settings.
    for (const char* setting : {"base_url"}) {
      auto it = env_.find(env_name(prefix + "." + setting));
      if (it != env_.end()) out[setting] = it->second;
    }
    return out;
  }

 private:
  const Poco::Util::AbstractConfiguration& file_;
  const Environment& env_;
};

// Every key the file holds, as full dotted names.
void collect_keys(const Poco::Util::AbstractConfiguration& file, const std::string& prefix,
                  std::vector<std::string>& out) {
  Poco::Util::AbstractConfiguration::Keys keys;
  file.keys(prefix, keys);
  for (const std::string& k : keys) {
    const std::string full = prefix.empty() ? k : prefix + "." + k;
    if (file.hasProperty(full)) out.push_back(full);
    collect_keys(file, full, out);
  }
}

// A key this host reads: one of config_reference(), or plugins.<id>.<setting> (the plugin
// owns its settings), or upstream.<id>.<one of the per-exchange settings>.
bool known_key(const std::string& key) {
  static const std::set<std::string> fixed = [] {
    std::set<std::string> out;
    for (const ConfigKeyDoc& doc : config_reference()) {
      if (doc.key.find('<') == std::string::npos) out.insert(doc.key);
    }
    return out;
  }();
  static const std::set<std::string> per_exchange = [] {
    std::set<std::string> out;
    const std::string prefix = "upstream.<id>.";
    for (const ConfigKeyDoc& doc : config_reference()) {
      if (doc.key.rfind(prefix, 0) == 0) out.insert(doc.key.substr(prefix.size()));
    }
    return out;
  }();
  if (fixed.count(key) != 0) return true;
  const auto first = key.find('.');
  const auto second = first == std::string::npos ? std::string::npos : key.find('.', first + 1);
  if (second == std::string::npos || second + 1 >= key.size()) return false;
  const std::string root = key.substr(0, first);
  const std::string id = key.substr(first + 1, second - first - 1);
  const std::string rest = key.substr(second + 1);
  if (!valid_plugin_id(id)) return false;
  if (root == "plugins") return true;
  return root == "upstream" && per_exchange.count(rest) != 0;
}

// A misspelt or retired key would otherwise be ignored without a word, and the host would
// run on a default the operator believes they changed.
void refuse_unknown_keys(const Poco::Util::AbstractConfiguration& file) {
  std::vector<std::string> keys;
  collect_keys(file, "", keys);
  for (const std::string& key : keys) {
    if (!known_key(key)) {
      throw ConfigError(key + ": not a setting of this host (mdp-host --help and docs/operations.md list them all)");
    }
  }
}

UpstreamSettings upstream_defaults(const std::string& id) {
  UpstreamSettings s;
  // Published limits (EXCHANGES.md): Binance 2400 weight/min per IP, Hyperliquid 1200/min,
  // Coinbase ~10 req/s. Unknown exchanges get a cautious 600/min.
  // Candle pages in flight per request: Binance weighs a 1500-row klines call 10, so a
  // 10,000-row request (7 pages) costs 70 of 1920 usable per minute whatever the
  // concurrency, and 8 fetches it in one wave. Coinbase's ~10 req/s (per second, which the
  // per-minute budget does not model) and Hyperliquid keep 4.
  if (id == "binance_futures") {
    s.budget_per_minute = 2400;
    s.candle_concurrency = 8;
    s.weight_header = "x-mbx-used-weight-1m";
  } else if (id == "hyperliquid") {
    s.budget_per_minute = 1200;
  } else if (id == "coinbase") {
    s.budget_per_minute = 600;
  }
  return s;
}

}  // namespace

const char* to_string(Role role) noexcept {
  switch (role) {
    case Role::Api: return "api";
    case Role::Syncer: return "syncer";
    case Role::All: return "all";
  }
  return "all";
}

Environment process_environment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos && entry.compare(0, 4, "MDP_") == 0) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

AppConfig load_app_config(const Poco::Util::AbstractConfiguration& file, const Environment& env,
                          const CommandLine& cli) {
  refuse_unknown_keys(file);
  const Source src(file, env);
  AppConfig c;

  const std::string role = cli.role.empty() ? src.text("role", "all") : cli.role;
  if (role == "api") {
    c.role = Role::Api;
  } else if (role == "syncer") {
    c.role = Role::Syncer;
  } else if (role == "all") {
    c.role = Role::All;
  } else {
    throw ConfigError("role: '" + role + "' is not one of api, syncer, all");
  }
  c.dev = cli.dev || src.boolean("dev", false);

  c.database_url = src.text("database.url", c.database_url);
  if (c.database_url.rfind("postgresql://", 0) != 0 && c.database_url.rfind("postgres://", 0) != 0 &&
      c.database_url.rfind("sqlite:", 0) != 0) {
    throw ConfigError("database.url: must start with postgresql:// or sqlite: (got a value of " +
                      std::to_string(c.database_url.size()) + " characters)");
  }
  c.database_pool_size = src.small_integer("database.pool_size", c.database_pool_size, 1, 256);
  c.schema_dir = src.text("database.schema_dir", c.schema_dir);

  c.server_host = src.text("server.host", c.server_host);
  c.server_port = src.small_integer("server.port", c.server_port, 0, 65535);
  c.server_threads = src.small_integer("server.threads", c.server_threads, 2, 4096);
  c.server_queue = src.small_integer("server.queue", c.server_queue, 1, 65535);
  c.server_receive_timeout_s = src.small_integer("server.receive_timeout_s", c.server_receive_timeout_s, 1, 300);
  c.server_keepalive_timeout_s =
      src.small_integer("server.keepalive_timeout_s", c.server_keepalive_timeout_s, 1, 300);
  c.server_max_uri_bytes = src.small_integer("server.max_uri_bytes", c.server_max_uri_bytes, 256, 16384);
  c.server_max_header_bytes = src.small_integer("server.max_header_bytes", c.server_max_header_bytes, 1024, 65536);
  c.server_max_body_bytes = src.small_integer("server.max_body_bytes", c.server_max_body_bytes, 256, 1 << 20);
  c.server_max_in_flight = src.small_integer("server.max_in_flight", c.server_max_in_flight, 0, 4096);
  c.api_rate_limit_per_minute = src.small_integer("api.rate_limit_per_minute", c.api_rate_limit_per_minute, 0, 1'000'000);
  c.api_rate_limit_burst = src.small_integer("api.rate_limit_burst", c.api_rate_limit_burst, 1, 1'000'000);

  c.jwt_algorithm = src.text("auth.algorithm", c.jwt_algorithm);
  if (c.jwt_algorithm != "HS256" && c.jwt_algorithm != "ES256") {
    throw ConfigError("auth.algorithm: '" + c.jwt_algorithm + "' is not HS256 or ES256");
  }
  c.es256_key_file = src.text("auth.es256_key_file", c.es256_key_file);
  if (c.jwt_algorithm == "ES256" && c.es256_key_file.empty() && !cli.client_admin) {
    throw ConfigError("auth.es256_key_file: required with auth.algorithm = ES256 (a PEM P-256 private key)");
  }
  c.jwt_secret = src.text("auth.jwt_secret", "", "MDP_JWT_SECRET");
  c.jwt_issuer = src.text("auth.issuer", c.jwt_issuer);
  c.jwt_audience = src.text("auth.audience", c.jwt_audience);
  c.token_ttl_s = src.small_integer("auth.token_ttl_s", c.token_ttl_s, 60, 86400);
  c.auth_leeway_s = src.small_integer("auth.leeway_s", c.auth_leeway_s, 0, 300);
  c.auth_revocation_check_s = src.small_integer("auth.revocation_check_s", c.auth_revocation_check_s, 1, 3600);
  c.auth_token_cache_entries = src.small_integer("auth.token_cache_entries", c.auth_token_cache_entries, 1, 1'000'000);
  c.auth_throttle_per_address_per_minute = src.small_integer(
      "auth.throttle_per_address_per_minute", c.auth_throttle_per_address_per_minute, 1, 100'000);
  c.auth_throttle_per_client_per_minute = src.small_integer(
      "auth.throttle_per_client_per_minute", c.auth_throttle_per_client_per_minute, 1, 100'000);
  c.auth_hash_concurrency = src.small_integer("auth.hash_concurrency", c.auth_hash_concurrency, 1, 64);
  if (c.role != Role::Syncer && !c.dev && !cli.client_admin && c.jwt_algorithm == "HS256") {
    if (c.jwt_secret.empty()) {
      throw ConfigError("auth.jwt_secret: missing; set MDP_JWT_SECRET to at least 32 random bytes "
                        "(e.g. `openssl rand -base64 48`), or start with --dev for a throwaway one");
    }
    if (c.jwt_secret.size() < 32) {
      throw ConfigError("auth.jwt_secret: too short (" + std::to_string(c.jwt_secret.size()) +
                        " bytes); HS256 needs at least 32 bytes");
    }
    if (sample_secrets().count(c.jwt_secret) != 0) {
      throw ConfigError("auth.jwt_secret: this is a published sample value; generate your own");
    }
  }

  c.plugin_dir = src.text("plugins.dir", c.plugin_dir, "MDP_PLUGIN_DIR");
  c.plugin_verify_permissions = src.boolean("plugins.verify_permissions", true);
  const std::string enabled = src.text("plugins.enabled", "binance_futures,hyperliquid,coinbase");
  std::set<std::string> seen;
  for (const std::string& id : split_list(enabled)) {
    if (!valid_plugin_id(id)) throw ConfigError("plugins.enabled: '" + id + "' is not a valid id ([a-z0-9_-]{1,32})");
    if (!seen.insert(id).second) throw ConfigError("plugins.enabled: '" + id + "' is listed twice");
    c.plugins.push_back({id, src.subtree("plugins." + id)});
    UpstreamSettings u = upstream_defaults(id);
    const std::string p = "upstream." + id + ".";
    u.connect_timeout_ms = src.integer(p + "connect_timeout_ms", u.connect_timeout_ms, 100, 120'000);
    u.read_timeout_ms = src.integer(p + "read_timeout_ms", u.read_timeout_ms, 100, 300'000);
    u.max_response_bytes = src.integer(p + "max_response_bytes", u.max_response_bytes, 1024, 1LL << 30);
    u.budget_per_minute = src.integer(p + "budget_per_minute", u.budget_per_minute, 1, 1'000'000);
    u.budget_fraction = src.fraction(p + "budget_fraction", u.budget_fraction);
    u.weight_header = src.text(p + "weight_header", u.weight_header);
    u.candle_concurrency = src.small_integer(p + "candle_concurrency", u.candle_concurrency, 1, 64);
    c.upstream[id] = u;
  }
  c.upstream_breaker_failures = src.small_integer("upstream.breaker_failures", c.upstream_breaker_failures, 0, 1000);
  c.upstream_breaker_cooldown_ms =
      src.small_integer("upstream.breaker_cooldown_ms", c.upstream_breaker_cooldown_ms, 100, 3'600'000);
  c.upstream_retry_budget_fraction = src.fraction("upstream.retry_budget_fraction", c.upstream_retry_budget_fraction);
  c.upstream_retry_budget_per_s = src.small_integer("upstream.retry_budget_per_s", c.upstream_retry_budget_per_s, 0, 1000);

  c.sync_interval_s = src.small_integer("sync.interval_s", c.sync_interval_s, 10, 7 * 86400);
  c.sync_jitter_s = src.small_integer("sync.jitter_s", c.sync_jitter_s, 0, 86400);
  c.sync_max_delist_fraction = src.fraction("sync.max_delist_fraction", c.sync_max_delist_fraction);
  c.sync_retry_initial_s = src.small_integer("sync.retry_initial_s", c.sync_retry_initial_s, 1, 86400);
  c.sync_retry_max_s = src.small_integer("sync.retry_max_s", c.sync_retry_max_s, 1, 7 * 86400);
  if (c.sync_retry_max_s < c.sync_retry_initial_s) {
    throw ConfigError("sync.retry_max_s: must be at least sync.retry_initial_s");
  }

  c.candles_max_rows = src.small_integer("candles.max_rows", c.candles_max_rows, 1, 1'000'000);
  c.candles_max_pages = src.small_integer("candles.max_pages", c.candles_max_pages, 1, 10'000);
  c.candles_timeout_ms = src.small_integer("candles.timeout_ms", c.candles_timeout_ms, 100, 600'000);

  c.cache_max_bytes = src.small_integer("cache.max_bytes", c.cache_max_bytes, 0, 1024 * 1024 * 1024);
  c.cache_candles_ttl_s = src.small_integer("cache.candles_ttl_s", c.cache_candles_ttl_s, 0, 86400);
  c.cache_metadata_ttl_ms = src.small_integer("cache.metadata_ttl_ms", c.cache_metadata_ttl_ms, 0, 3'600'000);
  return c;
}

const std::vector<ConfigKeyDoc>& config_reference() {
  static const std::vector<ConfigKeyDoc> docs = {
      {"role", "all", "MDP_ROLE", "api | syncer | all (also --role)"},
      {"dev", "false", "MDP_DEV", "development mode: throwaway JWT secret, dev client (also --dev)"},
      {"database.url", "sqlite:var/mdp.db", "MDP_DATABASE_URL", "postgresql://user:pass@host:port/db or sqlite:PATH"},
      {"database.pool_size", "8", "MDP_DATABASE_POOL_SIZE", "pooled database sessions"},
      {"database.schema_dir", "(next to the binary)", "MDP_DATABASE_SCHEMA_DIR", "folder holding postgresql/ and sqlite/ migrations"},
      {"server.host", "127.0.0.1", "MDP_SERVER_HOST", "listen address (0.0.0.0 in containers)"},
      {"server.port", "8080", "MDP_SERVER_PORT", "listen port (0 = any free port)"},
      {"server.threads", "64", "MDP_SERVER_THREADS", "request threads"},
      {"server.queue", "256", "MDP_SERVER_QUEUE", "accepted connections waiting for a thread"},
      {"server.receive_timeout_s", "10", "MDP_SERVER_RECEIVE_TIMEOUT_S", "idle time allowed while reading a request"},
      {"server.keepalive_timeout_s", "5", "MDP_SERVER_KEEPALIVE_TIMEOUT_S", "idle keep-alive connection lifetime"},
      {"server.max_uri_bytes", "2048", "MDP_SERVER_MAX_URI_BYTES", "longer request targets get 414"},
      {"server.max_header_bytes", "16384", "MDP_SERVER_MAX_HEADER_BYTES", "larger header blocks get 431"},
      {"server.max_body_bytes", "8192", "MDP_SERVER_MAX_BODY_BYTES", "larger bodies get 413"},
      {"server.max_in_flight", "0 (= server.threads)", "MDP_SERVER_MAX_IN_FLIGHT", "requests in progress before new ones get 503 + Retry-After"},
      {"api.rate_limit_per_minute", "600", "MDP_API_RATE_LIMIT_PER_MINUTE", "requests per minute per client id on authenticated routes (429 beyond; 0 = off)"},
      {"api.rate_limit_burst", "100", "MDP_API_RATE_LIMIT_BURST", "requests a client may make at once before the per-minute rate applies"},
      {"auth.algorithm", "HS256", "MDP_AUTH_ALGORITHM", "token signature: HS256 (auth.jwt_secret) or ES256 (auth.es256_key_file)"},
      {"auth.jwt_secret", "(none: required outside --dev)", "MDP_JWT_SECRET", "HS256 key, at least 32 bytes"},
      {"auth.es256_key_file", "(none)", "MDP_AUTH_ES256_KEY_FILE", "ES256: PEM file with the P-256 private key"},
      {"auth.issuer", "mdp", "MDP_AUTH_ISSUER", "iss of issued tokens"},
      {"auth.audience", "mdp-api", "MDP_AUTH_AUDIENCE", "aud of issued tokens"},
      {"auth.token_ttl_s", "900", "MDP_AUTH_TOKEN_TTL_S", "access token lifetime (also the longest exp - iat accepted)"},
      {"auth.leeway_s", "60", "MDP_AUTH_LEEWAY_S", "clock skew allowed on exp, nbf and iat"},
      {"auth.revocation_check_s", "30", "MDP_AUTH_REVOCATION_CHECK_S", "a revoked client's tokens stop working within this"},
      {"auth.token_cache_entries", "10000", "MDP_AUTH_TOKEN_CACHE_ENTRIES", "verified tokens kept in memory"},
      {"auth.throttle_per_address_per_minute", "20", "MDP_AUTH_THROTTLE_PER_ADDRESS_PER_MINUTE", "failed token requests per source address before 429"},
      {"auth.throttle_per_client_per_minute", "60", "MDP_AUTH_THROTTLE_PER_CLIENT_PER_MINUTE", "failed token requests per client id before 429"},
      {"auth.hash_concurrency", "2", "MDP_AUTH_HASH_CONCURRENCY", "client-secret hashes (argon2id, 19 MiB each) running at once"},
      {"plugins.dir", "(next to the binary)", "MDP_PLUGIN_DIR", "the only folder plugins load from"},
      {"plugins.enabled", "binance_futures,hyperliquid,coinbase", "MDP_PLUGINS_ENABLED", "plugin ids to load (mdp-<id>.so)"},
      {"plugins.verify_permissions", "true", "MDP_PLUGINS_VERIFY_PERMISSIONS", "refuse group/world-writable plugin files"},
      {"plugins.<id>.base_url", "(the exchange)", "MDP_PLUGINS_<ID>_BASE_URL", "exchange base URL; also the transport allowlist"},
      {"upstream.<id>.connect_timeout_ms", "3000", "", "connect timeout"},
      {"upstream.<id>.read_timeout_ms", "10000", "", "whole-response deadline"},
      {"upstream.<id>.max_response_bytes", "8388608", "", "larger responses fail"},
      {"upstream.<id>.budget_per_minute", "2400 / 1200 / 600", "", "exchange weight budget per minute"},
      {"upstream.<id>.budget_fraction", "0.8", "", "share of the budget we use"},
      {"upstream.<id>.weight_header", "x-mbx-used-weight-1m (binance)", "", "header reporting used weight"},
      {"upstream.<id>.candle_concurrency", "8 (binance_futures) / 4", "", "candle pages in flight per /v1/candles request"},
      {"upstream.breaker_failures", "5", "MDP_UPSTREAM_BREAKER_FAILURES", "consecutive failures (transport, timeout, 5xx) that open an exchange's circuit breaker (0 = off)"},
      {"upstream.breaker_cooldown_ms", "10000", "MDP_UPSTREAM_BREAKER_COOLDOWN_MS", "an open breaker fails calls fast this long, then lets one probe through"},
      {"upstream.retry_budget_fraction", "0.1", "MDP_UPSTREAM_RETRY_BUDGET_FRACTION", "5xx retries allowed per exchange, as a share of calls"},
      {"upstream.retry_budget_per_s", "1", "MDP_UPSTREAM_RETRY_BUDGET_PER_S", "retries allowed per exchange per second on top (burst 10)"},
      {"sync.interval_s", "3600", "MDP_SYNC_INTERVAL_S", "metadata sync period per exchange"},
      {"sync.jitter_s", "300", "MDP_SYNC_JITTER_S", "random delay added to each period"},
      {"sync.max_delist_fraction", "0.5", "MDP_SYNC_MAX_DELIST_FRACTION", "larger delistings are refused as suspect"},
      {"sync.retry_initial_s", "30", "MDP_SYNC_RETRY_INITIAL_S", "first retry delay after a failed sync"},
      {"sync.retry_max_s", "1800", "MDP_SYNC_RETRY_MAX_S", "retry delay cap"},
      {"candles.max_rows", "10000", "MDP_CANDLES_MAX_ROWS", "rows per /v1/candles request"},
      {"candles.max_pages", "64", "MDP_CANDLES_MAX_PAGES", "upstream pages per request"},
      {"candles.timeout_ms", "30000", "MDP_CANDLES_TIMEOUT_MS", "deadline for one candle request"},
      {"cache.max_bytes", "67108864", "MDP_CACHE_MAX_BYTES", "response cache size in bytes (0 = off)"},
      {"cache.candles_ttl_s", "600", "MDP_CACHE_CANDLES_TTL_S", "how long a closed candle range is cached (and its max-age)"},
      {"cache.metadata_ttl_ms", "1000", "MDP_CACHE_METADATA_TTL_MS", "how long a /v1/symbols page is cached"},
  };
  return docs;
}

}  // namespace mdp::app
