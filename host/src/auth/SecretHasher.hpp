// Client secrets at rest: argon2id with OWASP's minimum (m=19456 KiB, t=2, p=1; Password
// Storage Cheat Sheet, RELIABILITY.md J15), a fresh 16-byte salt per secret, stored as the
// PHC string "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (unpadded standard base64).
//
// verify() parses the PHC string itself (bounded parameters, so a tampered row cannot ask
// for gigabytes), recomputes the hash with libargon2 and compares with CRYPTO_memcmp.
// burn() spends the same time on a throwaway hash, so an unknown client id and a wrong
// secret cost the same (J13).
//
// Each hash holds m KiB of memory for its duration: callers bound how many run at once
// (the token endpoint does).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::auth {

struct Argon2Params {
  std::uint32_t memory_kib = 19456;
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
};

class SecretHasher {
 public:
  // Computes the throwaway hash burn() compares against. Throws std::invalid_argument for
  // parameters outside the accepted bounds, std::runtime_error when argon2 fails.
  explicit SecretHasher(Argon2Params params = {});

  // A PHC string for `secret` with a fresh salt. Throws std::runtime_error on failure.
  std::string hash(std::string_view secret) const;
  // True when `secret` matches `phc`; false for a mismatch or any malformed/unsupported PHC.
  bool verify(std::string_view secret, std::string_view phc) const noexcept;
  // The cost of one verify() with nothing to find (unknown or revoked client).
  void burn(std::string_view secret) const noexcept;

  const Argon2Params& params() const noexcept { return params_; }

 private:
  Argon2Params params_;
  std::string throwaway_phc_;
};

}  // namespace mdp::auth
