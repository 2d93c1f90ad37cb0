// Verifies a compact JWS access token completely, in this order, each step refusing
// before the next one costs anything (RELIABILITY.md §1.3, §8 #1–#6):
//   1. size cap (J5), exactly three non-empty segments of [A-Za-z0-9_-] (J4);
//   2. the header: canonical base64url, strict JSON, members only "alg" and "typ" (so
//      crit, kid, jku, jwk, x5u, x5c, ... are refused unread: J9); alg exactly the key's
//      algorithm (J1, J2: "none" in any spelling, HS384/512, RS256 ... all refused);
//      typ "at+jwt", "application/at+jwt" or "JWT", case-insensitive (RFC 7515 §4.1.9);
//   3. the signature: canonical base64url, checked by the key in constant time (J3);
//   4. only then the payload: canonical base64url, strict JSON (duplicate claims refused,
//      J8), ClaimsValidator (J6–J8).
// Nothing is parsed out of an unverified payload, and nothing about the token is returned
// unless every step passed. verify() never throws: every failure, whatever its cause, is
// a TokenRejection, which callers turn into one opaque "invalid_token".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "AccessToken.hpp"
#include "JwsKey.hpp"
#include "JwtRules.hpp"

namespace mdp::auth {

struct VerificationResult {
  std::optional<Principal> principal;  // set only when rejection == None
  TokenRejection rejection = TokenRejection::Malformed;
};

class JwtVerifier {
 public:
  // Throws std::invalid_argument for a null key.
  JwtVerifier(std::shared_ptr<const JwsKey> key, JwtRules rules);

  VerificationResult verify(std::string_view token, std::int64_t now_s) const noexcept;

  const JwtRules& rules() const noexcept { return rules_; }

 private:
  VerificationResult verify_or_throw(std::string_view token, std::int64_t now_s) const;

  std::shared_ptr<const JwsKey> key_;
  JwtRules rules_;
};

}  // namespace mdp::auth
