// The configuration keys auth, the rate limit and admission control read (AppConfig), and
// their documentation in config_reference().
#include <gtest/gtest.h>

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <set>
#include <sstream>

#include "AppConfig.hpp"

namespace mdp::app {
namespace {

const char* kGoodSecret = "k3J9vYq2Lr8sWm4ZxT6bN1pH5dF7gC0aE2uI9oQ3";

AppConfig load(const std::string& text, const Environment& env, const CommandLine& cli = {}) {
  std::istringstream in(text);
  Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(new Poco::Util::PropertyFileConfiguration(in));
  return load_app_config(*file, env, cli);
}

TEST(AuthConfig, DefaultsAreTheDocumentedOnes) {
  const AppConfig c = load("", {{"MDP_JWT_SECRET", kGoodSecret}});
  EXPECT_EQ(c.server_max_in_flight, 0);
  EXPECT_EQ(c.api_rate_limit_per_minute, 600);
  EXPECT_EQ(c.api_rate_limit_burst, 100);
  EXPECT_EQ(c.auth_leeway_s, 60);
  EXPECT_EQ(c.auth_revocation_check_s, 30);
  EXPECT_EQ(c.auth_token_cache_entries, 10'000);
  EXPECT_EQ(c.auth_throttle_per_address_per_minute, 20);
  EXPECT_EQ(c.auth_throttle_per_client_per_minute, 60);
  EXPECT_EQ(c.auth_hash_concurrency, 2);
}

TEST(AuthConfig, FileAndEnvironmentSetEveryKey) {
  const AppConfig c = load(
      "server.max_in_flight = 48\napi.rate_limit_per_minute = 0\napi.rate_limit_burst = 7\nauth.leeway_s = 5\n"
      "auth.revocation_check_s = 10\nauth.token_cache_entries = 500\nauth.throttle_per_address_per_minute = 5\n"
      "auth.throttle_per_client_per_minute = 6\n",
      {{"MDP_JWT_SECRET", kGoodSecret}, {"MDP_AUTH_HASH_CONCURRENCY", "4"}});
  EXPECT_EQ(c.server_max_in_flight, 48);
  EXPECT_EQ(c.api_rate_limit_per_minute, 0);
  EXPECT_EQ(c.api_rate_limit_burst, 7);
  EXPECT_EQ(c.auth_leeway_s, 5);
  EXPECT_EQ(c.auth_revocation_check_s, 10);
  EXPECT_EQ(c.auth_token_cache_entries, 500);
  EXPECT_EQ(c.auth_throttle_per_address_per_minute, 5);
  EXPECT_EQ(c.auth_throttle_per_client_per_minute, 6);
  EXPECT_EQ(c.auth_hash_concurrency, 4);
}

TEST(AuthConfig, OutOfRangeValuesNameTheKey) {
  const Environment env{{"MDP_JWT_SECRET", kGoodSecret}};
  for (const std::string bad : {"auth.leeway_s = 301", "auth.revocation_check_s = 0", "api.rate_limit_burst = 0",
                                "server.max_in_flight = -1", "auth.hash_concurrency = 0"}) {
    try {
      load(bad, env);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(bad.substr(0, bad.find(' '))), std::string::npos) << e.what();
    }
  }
}

TEST(AuthConfig, ClientCommandsNeedNoJwtSecretButServingDoes) {
  EXPECT_THROW(load("", {}), ConfigError);
  CommandLine cli;
  cli.client_admin = true;
  EXPECT_NO_THROW(load("", {}, cli));
}

TEST(AuthConfig, Es256NeedsAKeyFileAndNoSecret) {
  const AppConfig es = load("auth.algorithm = ES256\nauth.es256_key_file = /etc/mdp/es256.pem\n", {});
  EXPECT_EQ(es.jwt_algorithm, "ES256");
  EXPECT_EQ(es.es256_key_file, "/etc/mdp/es256.pem");
  EXPECT_EQ(load("", {{"MDP_JWT_SECRET", kGoodSecret}}).jwt_algorithm, "HS256");
  for (const std::string bad : {"auth.algorithm = ES256\n", "auth.algorithm = none\n", "auth.algorithm = RS256\n",
                                "auth.algorithm = hs256\n"}) {
    try {
      load(bad, {{"MDP_JWT_SECRET", kGoodSecret}});
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("auth.", 0), 0U) << e.what();
    }
  }
}

TEST(AuthConfig, EveryKeyIsDocumented) {
  std::set<std::string> documented;
  for (const auto& doc : config_reference()) documented.insert(doc.key);
  for (const char* key : {"server.max_in_flight", "api.rate_limit_per_minute", "api.rate_limit_burst", "auth.jwt_secret",
                          "auth.issuer", "auth.audience", "auth.token_ttl_s", "auth.leeway_s", "auth.revocation_check_s",
                          "auth.token_cache_entries", "auth.throttle_per_address_per_minute",
                          "auth.throttle_per_client_per_minute", "auth.hash_concurrency", "auth.algorithm",
                          "auth.es256_key_file"}) {
    EXPECT_EQ(documented.count(key), 1U) << key;
  }
}

}  // namespace
}  // namespace mdp::app
