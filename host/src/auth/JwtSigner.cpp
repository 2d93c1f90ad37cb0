#include "JwtSigner.hpp"

#include <stdexcept>

#include "Base64.hpp"
#include "JsonWriter.hpp"

namespace mdp::auth {

JwtSigner::JwtSigner(std::shared_ptr<const JwsKey> key) : key_(std::move(key)) {
  if (!key_) throw std::invalid_argument("JwtSigner needs a key");
  std::string header;
  http::JsonWriter json(header);
  json.begin_object().key("alg").string(key_->algorithm()).key("typ").string("at+jwt").end_object();
  encoded_header_ = base64url_encode(header);
}

std::string JwtSigner::sign(const AccessTokenClaims& claims) const {
  std::string payload;
  http::JsonWriter json(payload);
  json.begin_object();
  json.key("iss").string(claims.issuer);
  json.key("sub").string(claims.client_id);
  json.key("aud").string(claims.audience);
  json.key("client_id").string(claims.client_id);
  if (!claims.scope.empty()) json.key("scope").string(claims.scope);
  json.key("iat").integer(claims.issued_at);
  json.key("exp").integer(claims.expires_at);
  json.key("jti").string(claims.jwt_id);
  json.end_object();

  std::string token = encoded_header_;
  token.push_back('.');
  token.append(base64url_encode(payload));
  const std::string signature = key_->sign(token);
  token.push_back('.');
  token.append(base64url_encode(signature));
  return token;
}

}  // namespace mdp::auth
