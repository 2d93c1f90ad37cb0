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

// ES256 (RFC 7518 §3.4: ECDSA P-256 + SHA-256, signature = R || S, 32 bytes each) with the
// private key in a PEM file (PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY"). Throws
// std::invalid_argument naming the file when it cannot be read or is not a P-256 key.
std::shared_ptr<const JwsKey> load_es256_key(const std::string& pem_file);
// The same from PEM text (tests, and keys that do not live in a file).
std::shared_ptr<const JwsKey> make_es256_key_from_pem(std::string_view pem);

}  // namespace mdp::auth
