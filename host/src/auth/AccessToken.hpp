// The values an access token carries (RFC 9068 profile) and what a verified one grants.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::auth {

// Claims of a token we issue. Times are seconds since the Unix epoch (NumericDate).
struct AccessTokenClaims {
  std::string issuer;     // iss
  std::string audience;   // aud
  std::string client_id;  // sub and client_id (client-credentials: the client is the subject)
  std::string scope;      // space-separated, RFC 6749 §3.3
  std::string jwt_id;     // jti
  std::int64_t issued_at = 0;   // iat (nbf is the same instant and not written)
  std::int64_t expires_at = 0;  // exp
};

// The caller behind a verified token.
struct Principal {
  std::string client_id;
  std::vector<std::string> scopes;
  std::int64_t expires_at = 0;  // exp, seconds since the epoch

  bool has_scope(std::string_view scope) const noexcept {
    for (const auto& granted : scopes) {
      if (granted == scope) return true;
    }
    return false;
  }
};

// Why a token was refused: for logs and tests only. Clients always get one opaque
// "invalid_token" (RELIABILITY.md §1.3).
enum class TokenRejection {
  None,
  TooLarge,             // longer than the cap: refused before any decoding (J5)
  Malformed,            // not three canonical base64url segments of JSON objects (J4)
  UnacceptableHeader,   // a header member outside {alg, typ}: crit, kid, jku, jwk, x5u, ... (J9)
  AlgorithmNotAllowed,  // alg missing, not a string, or not the configured one (J1, J2)
  WrongType,            // typ missing or not at+jwt / JWT (J8)
  BadSignature,         // J3
  InvalidClaims,        // a required claim missing or of the wrong JSON type / range (J6)
  Expired,              // exp + leeway has passed (J7)
  NotYetValid,          // nbf - leeway is still ahead (J7)
  IssuedInFuture,       // iat - leeway is still ahead (J7)
  LifetimeTooLong,      // exp - iat above the configured maximum (J7)
  WrongIssuer,          // J8
  WrongAudience,        // J8
};

const char* to_string(TokenRejection rejection) noexcept;

}  // namespace mdp::auth
