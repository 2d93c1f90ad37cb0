// Fresh keys for the ES256 tests, generated with OpenSSL (never committed key material).
#pragma once

#include <string>

namespace mdp::auth::test {

struct PemKeyPair {
  std::string private_pkcs8;  // "-----BEGIN PRIVATE KEY-----"
  std::string private_sec1;   // "-----BEGIN EC PRIVATE KEY-----" (empty for non-EC keys)
  std::string public_spki;    // "-----BEGIN PUBLIC KEY-----"
};

// curve: "P-256", "P-384", …
PemKeyPair generate_ec_key(const char* curve = "P-256");
PemKeyPair generate_rsa_key();

// Writes `text` to a new file under the temp directory; returns its path.
std::string write_temp_file(const std::string& text, const std::string& suffix = ".pem");

}  // namespace mdp::auth::test
