#include "TokenIssuer.hpp"

#include <stdexcept>

#include "Base64.hpp"
#include "ClientCredentials.hpp"
#include "SecureRandom.hpp"

namespace mdp::auth {

TokenIssuer::TokenIssuer(std::shared_ptr<const JwtSigner> signer, std::string issuer, std::string audience,
                         std::int64_t ttl_s)
    : signer_(std::move(signer)), issuer_(std::move(issuer)), audience_(std::move(audience)), ttl_s_(ttl_s) {
  if (!signer_) throw std::invalid_argument("TokenIssuer needs a signer");
  if (ttl_s_ < 1) throw std::invalid_argument("token lifetime must be at least 1 s");
}

IssuedToken TokenIssuer::issue(const std::string& client_id, const std::vector<std::string>& scopes,
                               std::int64_t now_s) const {
  AccessTokenClaims claims;
  claims.issuer = issuer_;
  claims.audience = audience_;
  claims.client_id = client_id;
  claims.scope = join_scopes(scopes);
  claims.jwt_id = base64url_encode(random_bytes(16));
  claims.issued_at = now_s;
  claims.expires_at = now_s + ttl_s_;

  IssuedToken token;
  token.access_token = signer_->sign(claims);
  token.expires_in = ttl_s_;
  token.scope = claims.scope;
  return token;
}

}  // namespace mdp::auth
