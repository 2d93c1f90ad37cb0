// Issues compact JWS access tokens: header {"alg":<key's>,"typ":"at+jwt"} (RFC 9068 §2.1),
// claims iss, sub, aud, client_id, scope, iat, exp, jti, in that order.
#pragma once

#include <memory>
#include <string>

#include "AccessToken.hpp"
#include "JwsKey.hpp"

namespace mdp::auth {

class JwtSigner {
 public:
  // Throws std::invalid_argument for a null key.
  explicit JwtSigner(std::shared_ptr<const JwsKey> key);

  // Throws std::runtime_error when the crypto library fails.
  std::string sign(const AccessTokenClaims& claims) const;

 private:
  std::shared_ptr<const JwsKey> key_;
  std::string encoded_header_;
};

}  // namespace mdp::auth
