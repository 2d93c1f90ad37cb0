#include "AppConfig.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <gtest/gtest.h>

#include <sstream>

namespace mdp::app {
namespace {

const char* kGoodSecret = "k3J9vYq2Lr8sWm4ZxT6bN1pH5dF7gC0aE2uI9oQ3";

Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(const std::string& text) {
  std::istringstream in(text);
  return new Poco::Util::PropertyFileConfiguration(in);
}

std::string error_of(const std::string& text, const Environment& env = {}, const CommandLine& cli = {}) {
  try {
    load_app_config(*file(text), env, cli);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(AppConfig, DefaultsNeedOnlyASecret) {
  const AppConfig c = load_app_config(*file(""), {{"MDP_JWT_SECRET", kGoodSecret}}, {});
  EXPECT_EQ(c.role, Role::All);
  EXPECT_EQ(c.database_url, "sqlite:var/mdp.db");
  EXPECT_EQ(c.server_port, 8080);
  ASSERT_EQ(c.plugins.size(), 3u);
  EXPECT_EQ(c.plugins[0].id, "binance_futures");
  EXPECT_EQ(c.upstream.at("binance_futures").budget_per_minute, 2400);
  EXPECT_EQ(c.upstream.at("binance_futures").weight_header, "x-mbx-used-weight-1m");
  EXPECT_EQ(c.upstream.at("hyperliquid").budget_per_minute, 1200);
}

TEST(AppConfig, CandleConcurrencyIsPerExchange) {
  const Environment env{{"MDP_JWT_SECRET", kGoodSecret}};
  const AppConfig defaults = load_app_config(*file("plugins.enabled = binance_futures,hyperliquid,coinbase,other\n"), env, {});
  EXPECT_EQ(defaults.upstream.at("binance_futures").candle_concurrency, 8);  // 7 pages of 1500: one wave
  EXPECT_EQ(defaults.upstream.at("hyperliquid").candle_concurrency, 4);
  EXPECT_EQ(defaults.upstream.at("coinbase").candle_concurrency, 4);  // ~10 req/s per IP
  EXPECT_EQ(defaults.upstream.at("other").candle_concurrency, 4);

  const AppConfig set = load_app_config(*file("upstream.coinbase.candle_concurrency = 2\n"), env, {});
  EXPECT_EQ(set.upstream.at("coinbase").candle_concurrency, 2);
  EXPECT_EQ(set.upstream.at("binance_futures").candle_concurrency, 8);
  EXPECT_EQ(error_of("upstream.binance_futures.candle_concurrency = 0\n", env).rfind(
                "upstream.binance_futures.candle_concurrency", 0),
            0u);
}

TEST(AppConfig, CircuitBreakerAndRetryBudgetSettings) {
  const Environment env{{"MDP_JWT_SECRET", kGoodSecret}};
  const AppConfig defaults = load_app_config(*file(""), env, {});
  EXPECT_EQ(defaults.upstream_breaker_failures, 5);
  EXPECT_EQ(defaults.upstream_breaker_cooldown_ms, 10'000);
  EXPECT_DOUBLE_EQ(defaults.upstream_retry_budget_fraction, 0.1);
  EXPECT_EQ(defaults.upstream_retry_budget_per_s, 1);

  const AppConfig set = load_app_config(*file("upstream.breaker_failures = 0\n"
                                              "upstream.breaker_cooldown_ms = 30000\n"
                                              "upstream.retry_budget_fraction = 0.2\n"),
                                        {{"MDP_JWT_SECRET", kGoodSecret}, {"MDP_UPSTREAM_RETRY_BUDGET_PER_S", "0"}}, {});
  EXPECT_EQ(set.upstream_breaker_failures, 0);
  EXPECT_EQ(set.upstream_breaker_cooldown_ms, 30'000);
  EXPECT_DOUBLE_EQ(set.upstream_retry_budget_fraction, 0.2);
  EXPECT_EQ(set.upstream_retry_budget_per_s, 0);
  EXPECT_EQ(error_of("upstream.breaker_cooldown_ms = 0\n", env).rfind("upstream.breaker_cooldown_ms", 0), 0u);
  EXPECT_EQ(error_of("upstream.retry_budget_fraction = 1.5\n", env).rfind("upstream.retry_budget_fraction", 0), 0u);
}

TEST(AppConfig, EnvironmentOverridesTheFileAndCommandLineOverridesBoth) {
  const AppConfig c = load_app_config(*file("server.port = 9000\nrole = api\ndatabase.url = sqlite:x.db\n"),
                                      {{"MDP_JWT_SECRET", kGoodSecret}, {"MDP_SERVER_PORT", "9100"},
                                       {"MDP_DATABASE_URL", "postgresql://u:p@127.0.0.1:5432/db"}},
                                      {"syncer", false});
  EXPECT_EQ(c.server_port, 9100);
  EXPECT_EQ(c.role, Role::Syncer);
  EXPECT_EQ(c.database_url, "postgresql://u:p@127.0.0.1:5432/db");
}

TEST(AppConfig, PluginSettingsPassThroughWithEnvOverride) {
  const AppConfig c = load_app_config(
      *file("plugins.enabled = coinbase\nplugins.coinbase.base_url = http://127.0.0.1:1/\nplugins.coinbase.x = y\n"),
      {{"MDP_JWT_SECRET", kGoodSecret}, {"MDP_PLUGINS_COINBASE_BASE_URL", "http://127.0.0.1:2"}}, {});
  ASSERT_EQ(c.plugins.size(), 1u);
  EXPECT_EQ(c.plugins[0].settings.at("base_url"), "http://127.0.0.1:2");
  EXPECT_EQ(c.plugins[0].settings.at("x"), "y");
}

TEST(AppConfig, RefusesMissingShortOrSampleSecretsOutsideDevMode) {
  EXPECT_NE(error_of("").find("auth.jwt_secret: missing"), std::string::npos);
  EXPECT_NE(error_of("", {{"MDP_JWT_SECRET", "short"}}).find("too short"), std::string::npos);
  EXPECT_NE(error_of("auth.jwt_secret = replace-me-with-at-least-32-random-bytes-please\n").find("sample"),
            std::string::npos);
  EXPECT_EQ(error_of("", {}, {"", true}), "");     // --dev
  EXPECT_EQ(error_of("", {}, {"syncer", false}), "");  // the syncer issues no tokens
}

TEST(AppConfig, MessagesNameTheKeyAndTheRule) {
  const Environment env{{"MDP_JWT_SECRET", kGoodSecret}};
  EXPECT_EQ(error_of("role = both\n", env), "role: 'both' is not one of api, syncer, all");
  EXPECT_EQ(error_of("server.port = 80a\n", env), "server.port: '80a' is not a whole number");
  EXPECT_EQ(error_of("server.port = 70000\n", env), "server.port: 70000 is out of range [0, 65535]");
  EXPECT_EQ(error_of("dev = maybe\n", env), "dev: 'maybe' must be true or false");
  EXPECT_EQ(error_of("sync.max_delist_fraction = 1.5\n", env),
            "sync.max_delist_fraction: '1.5' must be a number in (0, 1]");
  EXPECT_EQ(error_of("plugins.enabled = Binance\n", env),
            "plugins.enabled: 'Binance' is not a valid id ([a-z0-9_-]{1,32})");
  EXPECT_EQ(error_of("plugins.enabled = a,a\n", env), "plugins.enabled: 'a' is listed twice");
  EXPECT_NE(error_of("database.url = mysql://x\n", env).find("database.url"), std::string::npos);
  EXPECT_EQ(error_of("sync.retry_initial_s = 100\nsync.retry_max_s = 10\n", env),
            "sync.retry_max_s: must be at least sync.retry_initial_s");
}

// A misspelt or retired key must stop the host, not leave it on a default the operator
// believes they changed.
TEST(AppConfig, UnknownKeysInTheFileAreRefusedByName) {
  const Environment env{{"MDP_JWT_SECRET", kGoodSecret}};
  const std::string rule = ": not a setting of this host (mdp-host --help and docs/operations.md list them all)";
  EXPECT_EQ(error_of("server.prot = 9000\n", env), "server.prot" + rule);
  EXPECT_EQ(error_of("candles.concurrency = 4\n", env), "candles.concurrency" + rule);  // retired
  EXPECT_EQ(error_of("plugins.enable = coinbase\n", env), "plugins.enable" + rule);
  EXPECT_EQ(error_of("upstream.coinbase.candle_concurency = 2\n", env), "upstream.coinbase.candle_concurency" + rule);
  EXPECT_EQ(error_of("upstream.Coinbase.candle_concurrency = 2\n", env), "upstream.Coinbase.candle_concurrency" + rule);
  EXPECT_EQ(error_of("server = 1\n", env), "server" + rule);
  EXPECT_EQ(error_of("cache.max_bytes = 0\nmystery.key = 1\n", env), "mystery.key" + rule);
  // Every documented key, plugin-owned settings of any plugin id, and every per-exchange
  // upstream setting are accepted.
  std::string every_key;
  for (const ConfigKeyDoc& doc : config_reference()) {
    if (doc.key.find('<') != std::string::npos) continue;
    every_key += doc.key + " = 1\n";
  }
  // (Key names are checked before any value, so a value's own rule may answer here instead.)
  EXPECT_EQ(error_of(every_key, env).find(rule), std::string::npos) << error_of(every_key, env);
  EXPECT_EQ(error_of("plugins.coinbase.base_url = http://127.0.0.1:1\nplugins.not_enabled.anything = x\n"
                     "upstream.coinbase.candle_concurrency = 2\nupstream.coinbase.weight_header = x\n", env),
            "");
}

TEST(AppConfig, SecretNeverAppearsInMessages) {
  const std::string msg = error_of("server.port = x\n", {{"MDP_JWT_SECRET", kGoodSecret}});
  EXPECT_EQ(msg.find(kGoodSecret), std::string::npos);
}

TEST(AppConfig, ReferenceListsEveryTopLevelKey) {
  std::string keys;
  for (const auto& k : config_reference()) keys += k.key + "\n";
  for (const char* key : {"role", "database.url", "server.port", "auth.jwt_secret", "plugins.dir",
                          "plugins.enabled", "sync.interval_s", "candles.max_rows"}) {
    EXPECT_NE(keys.find(std::string(key) + "\n"), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace mdp::app
