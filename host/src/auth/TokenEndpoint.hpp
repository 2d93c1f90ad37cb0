// POST /v1/auth/token: OAuth 2.0 client credentials (RFC 6749 §4.4), public route.
//
//   200 {"access_token","token_type":"Bearer","expires_in","scope"}, Cache-Control:
//       no-store, Pragma: no-cache (§5.1); no refresh token (§4.4.3).
//   400/401 {"error","error_description"} (§5.2): invalid_request, invalid_client (401 +
//       "WWW-Authenticate: Basic" when the client used the Authorization header or sent no
//       credentials; the same answer for an unknown client, a revoked one and a wrong
//       secret, with the same cost: SecretHasher::burn), unsupported_grant_type,
//       invalid_scope.
//   429 problem + Retry-After: brute-force throttle (J14). Every attempt takes a unit from
//       its source address's bucket and its client id's bucket BEFORE the slow hash runs;
//       a successful one gives both back, so only failures and floods count.
//   503 problem + Retry-After: the hash slots stayed busy, or the database is unreachable.
// 405 (GET, …) and 413 (body above the server's cap) come from the router and pipeline.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "ApiClientRepository.hpp"
#include "AuthClock.hpp"
#include "ConcurrencyLimit.hpp"
#include "KeyedTokenBucket.hpp"
#include "Route.hpp"
#include "SecretHasher.hpp"
#include "TokenIssuer.hpp"

namespace mdp::auth {

struct TokenEndpointSettings {
  http::TokenBucketPolicy per_address{20, 20};  // attempts per minute / burst, per source address
  http::TokenBucketPolicy per_client{60, 60};   // attempts per minute / burst, per client id
  int hash_concurrency = 2;                     // argon2id hashes running at once
  std::chrono::milliseconds hash_wait{5000};    // longest wait for a hash slot before 503
};

// The throttle's notion of "where a request comes from"; the peer address by default.
// Behind a trusted proxy the app could key on its forwarded address instead.
using SourceKey = std::function<std::string(const http::Request&)>;

class TokenEndpoint final : public http::Route {
 public:
  TokenEndpoint(TokenEndpointSettings settings, std::shared_ptr<const TokenIssuer> issuer,
                std::shared_ptr<const SecretHasher> hasher, std::shared_ptr<storage::ApiClientRepository> clients,
                AuthClock clock = system_now_ms, SourceKey source_key = {});

  void handle(const http::Request& request, http::Response& response) override;

 private:
  bool admit(const std::string& source, const std::string& client_id, http::Response& response);
  void refund(const std::string& source, const std::string& client_id);

  const TokenEndpointSettings settings_;
  std::shared_ptr<const TokenIssuer> issuer_;
  std::shared_ptr<const SecretHasher> hasher_;
  std::shared_ptr<storage::ApiClientRepository> clients_;
  AuthClock clock_;
  SourceKey source_key_;
  http::KeyedTokenBucket by_address_;
  http::KeyedTokenBucket by_client_;
  ConcurrencyLimit hash_slots_;
};

}  // namespace mdp::auth
