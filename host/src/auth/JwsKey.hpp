// One signing key bound to exactly one JWS algorithm (RFC 8725 §3.1: "each key MUST be
// used with exactly one algorithm"). The verifier's algorithm allowlist is the key's one
// algorithm, so there is no way to ask it to check an HS256 token with an ES256 key or
// the other way round, and "none" is never a key.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace mdp::auth {

class JwsKey {
 public:
  virtual ~JwsKey() = default;
  // The JWS "alg" value, e.g. "HS256".
  virtual std::string_view algorithm() const noexcept = 0;
  // The raw signature of `signing_input` (header.payload). Throws std::runtime_error when
  // the crypto library fails.
  virtual std::string sign(std::string_view signing_input) const = 0;
  // True when `signature` (raw bytes) is a valid signature of `signing_input`. Never throws.
  virtual bool verify(std::string_view signing_input, std::string_view signature) const noexcept = 0;
};

// HS256 with `secret` (RFC 7518 §3.2 asks for at least 32 bytes; the configuration
// enforces that outside --dev). HMAC compared with CRYPTO_memcmp.
std::shared_ptr<const JwsKey> make_hs256_key(std::string_view secret);

}  // namespace mdp::auth
