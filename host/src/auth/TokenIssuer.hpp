// Mints access tokens for an authenticated client: iss/aud from configuration, sub and
// client_id = the client, the granted scopes, iat = now, exp = now + ttl, a random jti.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "JwtSigner.hpp"

namespace mdp::auth {

struct IssuedToken {
  std::string access_token;
  std::int64_t expires_in = 0;  // seconds
  std::string scope;            // space-separated, as granted
};

class TokenIssuer {
 public:
  // Throws std::invalid_argument for a null signer or ttl_s < 1.
  TokenIssuer(std::shared_ptr<const JwtSigner> signer, std::string issuer, std::string audience, std::int64_t ttl_s);

  IssuedToken issue(const std::string& client_id, const std::vector<std::string>& scopes, std::int64_t now_s) const;

  std::int64_t ttl_s() const noexcept { return ttl_s_; }

 private:
  std::shared_ptr<const JwtSigner> signer_;
  std::string issuer_;
  std::string audience_;
  std::int64_t ttl_s_;
};

}  // namespace mdp::auth
