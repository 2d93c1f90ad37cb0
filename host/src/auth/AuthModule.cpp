#include "AuthModule.hpp"

#include <stdexcept>

#include "ApiClientRepository.hpp"
#include "BearerAuthenticator.hpp"
#include "ClientStatusCache.hpp"
#include "HttpMethod.hpp"
#include "JwsKey.hpp"
#include "JwtSigner.hpp"
#include "SecureRandom.hpp"
#include "VerifiedTokenCache.hpp"

namespace mdp::auth {

AuthModule::AuthModule(AuthSettings settings, storage::Database& db, AuthClock clock, SourceKey source_key) {
  if (settings.token_ttl_s < 1) throw std::invalid_argument("auth: token lifetime must be at least 1 s");
  if (settings.leeway_s < 0) throw std::invalid_argument("auth: leeway must not be negative");
  if (settings.revocation_check_ms < 1) throw std::invalid_argument("auth: revocation check interval must be positive");
  if (!clock) clock = system_now_ms;

  std::shared_ptr<const JwsKey> key;
  if (settings.algorithm == "ES256") {
    if (settings.es256_key_file.empty()) throw std::invalid_argument("auth.es256_key_file: required with ES256");
    try {
      key = load_es256_key(settings.es256_key_file);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("auth.es256_key_file: ") + e.what());
    }
  } else if (settings.algorithm == "HS256") {
    throwaway_key_ = settings.jwt_secret.empty();
    key = make_hs256_key(throwaway_key_ ? random_bytes(32) : settings.jwt_secret);
  } else {
    throw std::invalid_argument("auth.algorithm: '" + settings.algorithm + "' is not HS256 or ES256");
  }

  JwtRules rules;
  rules.issuer = settings.issuer;
  rules.audience = settings.audience;
  rules.leeway_s = settings.leeway_s;
  rules.max_lifetime_s = settings.token_ttl_s;

  hasher_ = std::make_shared<const SecretHasher>(settings.argon2);
  issuer_ = std::make_shared<const TokenIssuer>(std::make_shared<const JwtSigner>(key), settings.issuer,
                                                settings.audience, settings.token_ttl_s);
  verifier_ = std::make_shared<const JwtVerifier>(key, rules);

  auto clients = std::make_shared<storage::ApiClientRepository>(db);
  auto statuses = std::make_shared<ClientStatusCache>(
      [clients](const std::string& client_id) {
        const std::optional<storage::ApiClient> client = clients->find_by_id(client_id);
        return client.has_value() && client->active();
      },
      settings.revocation_check_ms);
  authenticator_ = std::make_shared<BearerAuthenticator>(
      verifier_, std::make_shared<VerifiedTokenCache>(settings.token_cache_entries), statuses, clock);
  token_route_ = std::make_shared<TokenEndpoint>(settings.endpoint, issuer_, hasher_, clients, clock,
                                                 std::move(source_key));
}

void AuthModule::add_routes(http::Router& router) const {
  router.add(http::HttpMethod::Post, std::string(kTokenPath), token_route_);
}

}  // namespace mdp::auth
