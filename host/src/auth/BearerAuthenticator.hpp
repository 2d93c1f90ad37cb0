// mdp_auth's answer to the http layer's Authenticator: is this bearer token good for this
// scope? In order:
//   1. the verified-token cache (a hit skips step 2);
//   2. JwtVerifier (every check; a refusal is logged at debug level with its reason, never
//      with the token, and is never cached);
//   3. the client's status (ClientStatusCache): a revoked client's tokens stop working
//      within the cache TTL; an unreachable store answers Unavailable (fail closed);
//   4. the scope.
#pragma once

#include <memory>

#include <Poco/Logger.h>

#include "AuthClock.hpp"
#include "Authenticator.hpp"
#include "ClientStatusCache.hpp"
#include "JwtVerifier.hpp"
#include "VerifiedTokenCache.hpp"

namespace mdp::auth {

class BearerAuthenticator final : public http::Authenticator {
 public:
  // Throws std::invalid_argument for a null dependency.
  BearerAuthenticator(std::shared_ptr<const JwtVerifier> verifier, std::shared_ptr<VerifiedTokenCache> cache,
                      std::shared_ptr<ClientStatusCache> clients, AuthClock clock = system_now_ms);

  http::AuthDecision authenticate(std::string_view token, std::string_view required_scope) override;

 private:
  std::shared_ptr<const JwtVerifier> verifier_;
  std::shared_ptr<VerifiedTokenCache> cache_;
  std::shared_ptr<ClientStatusCache> clients_;
  AuthClock clock_;
  Poco::Logger& log_;
};

}  // namespace mdp::auth
