// AuthModule as the app builds it: HS256 and ES256 keys, the throwaway key, and settings
// that must stop the start with a message naming the setting.
#include <gtest/gtest.h>

#include <filesystem>

#include "AuthModule.hpp"
#include "Base64.hpp"
#include "ClientAdmin.hpp"
#include "EcTestKeys.hpp"
#include "Migrator.hpp"
#include "StorageTestSupport.hpp"

namespace mdp::auth {
namespace {

using storage::Dialect;

class AuthModuleTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<storage::test::TestDatabase>(GetParam());
    storage::Migrator(database_->db(), storage::test::schema_root()).migrate();
  }
  static AuthSettings settings() {
    AuthSettings s;
    s.argon2 = Argon2Params{64, 1, 1};
    return s;
  }
  std::unique_ptr<storage::test::TestDatabase> database_;
};

TEST_P(AuthModuleTest, Es256ModuleIssuesTokensItsAuthenticatorAccepts) {
  const std::string key_file = test::write_temp_file(test::generate_ec_key("P-256").private_pkcs8);
  AuthSettings s = settings();
  s.algorithm = "ES256";
  s.es256_key_file = key_file;
  AuthModule module(s, database_->db());
  EXPECT_FALSE(module.uses_throwaway_key());
  const CreatedClient client = ClientAdmin(database_->db(), module.hasher()).create("es", {"market:read"});
  const std::string token = module.issuer().issue(client.id, {"market:read"}, system_now_ms() / 1000).access_token;
  EXPECT_EQ(*base64url_decode(token.substr(0, token.find('.'))), R"({"alg":"ES256","typ":"at+jwt"})");
  const http::AuthDecision decision = module.authenticator()->authenticate(token, "market:read");
  EXPECT_EQ(decision.outcome, http::AuthDecision::Outcome::Authenticated);
  EXPECT_EQ(decision.client_id, client.id);
  EXPECT_EQ(module.authenticator()->authenticate(token, "admin").outcome, http::AuthDecision::Outcome::InsufficientScope);
  std::filesystem::remove(key_file);
}

TEST_P(AuthModuleTest, EmptySecretMeansAThrowawayKeyPerModule) {
  AuthModule first(settings(), database_->db());
  AuthModule second(settings(), database_->db());
  EXPECT_TRUE(first.uses_throwaway_key());
  const std::string token = first.issuer().issue("mdp_x", {"market:read"}, system_now_ms() / 1000).access_token;
  EXPECT_TRUE(first.verifier().verify(token, system_now_ms() / 1000).principal);
  EXPECT_EQ(second.verifier().verify(token, system_now_ms() / 1000).rejection, TokenRejection::BadSignature);
}

TEST_P(AuthModuleTest, UnusableSettingsNameTheSetting) {
  const auto message = [this](AuthSettings s) -> std::string {
    try {
      AuthModule module(s, database_->db());
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "accepted";
  };
  AuthSettings none = settings();
  none.algorithm = "none";
  EXPECT_EQ(message(none).rfind("auth.algorithm", 0), 0U) << message(none);
  AuthSettings no_file = settings();
  no_file.algorithm = "ES256";
  EXPECT_EQ(message(no_file).rfind("auth.es256_key_file", 0), 0U) << message(no_file);
  AuthSettings p384 = no_file;
  p384.es256_key_file = test::write_temp_file(test::generate_ec_key("P-384").private_pkcs8);
  EXPECT_EQ(message(p384).rfind("auth.es256_key_file", 0), 0U) << message(p384);
  std::filesystem::remove(p384.es256_key_file);
}

INSTANTIATE_TEST_SUITE_P(BothStores, AuthModuleTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param) {
                           return storage::test::dialect_name(param.param);
                         });

}  // namespace
}  // namespace mdp::auth
