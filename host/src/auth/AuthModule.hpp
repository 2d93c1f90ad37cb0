// mdp_auth assembled from settings: what the composition root (Application) wires into
// the HTTP server. One object per process:
//
//   auth::AuthModule auth(settings, database);
//   auth.add_routes(*router);                                     // POST /v1/auth/token
//   http::HttpServer server(config, router, auth.authenticator()); // bearer checks
//
// The token route and the authenticator share one key, one issuer/audience, one lifetime.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "AuthClock.hpp"
#include "Authenticator.hpp"
#include "Database.hpp"
#include "JwtVerifier.hpp"
#include "Router.hpp"
#include "SecretHasher.hpp"
#include "TokenEndpoint.hpp"
#include "TokenIssuer.hpp"

namespace mdp::auth {

inline constexpr std::string_view kTokenPath = "/v1/auth/token";

struct AuthSettings {
  // "HS256" (jwt_secret) or "ES256" (es256_key_file). One key, one algorithm: tokens of
  // the other algorithm are refused.
  std::string algorithm = "HS256";
  // The HS256 key. Empty: a random key for this process only (--dev, or a syncer that
  // issues nothing); tokens then do not survive a restart or verify on other hosts.
  std::string jwt_secret;
  // ES256: PEM file with the P-256 private key (PKCS#8 or SEC1).
  std::string es256_key_file;
  std::string issuer = "mdp";
  std::string audience = "mdp-api";
  std::int64_t token_ttl_s = 900;   // also the longest exp - iat accepted
  std::int64_t leeway_s = 60;
  std::int64_t revocation_check_ms = 30'000;  // how stale a client's "not revoked" may be
  std::size_t token_cache_entries = 10'000;
  TokenEndpointSettings endpoint;
  Argon2Params argon2;
};

class AuthModule {
 public:
  // Throws std::invalid_argument for unusable settings (ttl < 1, negative leeway, an
  // unknown algorithm, an unreadable or wrong ES256 key file, …), naming the setting.
  AuthModule(AuthSettings settings, storage::Database& db, AuthClock clock = system_now_ms, SourceKey source_key = {});

  std::shared_ptr<http::Authenticator> authenticator() const noexcept { return authenticator_; }
  std::shared_ptr<http::Route> token_route() const noexcept { return token_route_; }
  void add_routes(http::Router& router) const;

  const TokenIssuer& issuer() const noexcept { return *issuer_; }
  const JwtVerifier& verifier() const noexcept { return *verifier_; }
  std::shared_ptr<const SecretHasher> hasher() const noexcept { return hasher_; }
  bool uses_throwaway_key() const noexcept { return throwaway_key_; }

 private:
  bool throwaway_key_ = false;
  std::shared_ptr<const SecretHasher> hasher_;
  std::shared_ptr<const TokenIssuer> issuer_;
  std::shared_ptr<const JwtVerifier> verifier_;
  std::shared_ptr<http::Authenticator> authenticator_;
  std::shared_ptr<http::Route> token_route_;
};

}  // namespace mdp::auth
