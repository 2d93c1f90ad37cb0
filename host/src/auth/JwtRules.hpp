// What a token must satisfy beyond its signature (RFC 7519 §4.1, RFC 9068, RELIABILITY.md
// J6–J8). The issuer signs with the same values, so what we issue always passes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace mdp::auth {

struct JwtRules {
  std::string issuer = "mdp";        // iss must equal this
  std::string audience = "mdp-api";  // aud (a string, or an array of strings) must contain this
  std::int64_t leeway_s = 60;        // clock skew allowed on exp, nbf and iat (Envoy's default)
  std::int64_t max_lifetime_s = 3600;  // exp - iat may not exceed this
  std::size_t max_token_bytes = 4096;  // longer tokens are refused before decoding (J5)
};

// NumericDate values we accept: integers in [0, 2^53), the range a JSON number holds
// exactly everywhere (RELIABILITY.md J6).
inline constexpr std::int64_t kMaxNumericDate = (std::int64_t{1} << 53) - 1;

}  // namespace mdp::auth
