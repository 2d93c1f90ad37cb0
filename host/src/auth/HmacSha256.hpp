// HMAC-SHA256 and SHA-256 through OpenSSL 3 (EVP_MAC), and a constant-time comparison.
//
// Why not Poco's JWT Signer: it costs ~7 µs per verify against ~1 µs here (PERFORMANCE.md
// §3) and compares MACs with std::vector == (RELIABILITY.md §8 #5). The key is set once;
// each mac() duplicates the keyed context, so concurrent calls share nothing mutable.
#pragma once

#include <array>
#include <string_view>

// OpenSSL's handle types, declared as OpenSSL does, so users need not include its headers.
struct evp_mac_st;
struct evp_mac_ctx_st;

namespace mdp::auth {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest sha256(std::string_view data);

// CRYPTO_memcmp over equal lengths; different lengths are unequal (lengths are not secret).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

class HmacSha256 {
 public:
  // Throws std::runtime_error when OpenSSL cannot set up the MAC, std::invalid_argument
  // for an empty key.
  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  // False only when OpenSSL fails (out of memory). Thread-safe.
  bool mac(std::string_view data, Sha256Digest& out) const noexcept;

 private:
  evp_mac_st* mac_ = nullptr;
  evp_mac_ctx_st* keyed_ = nullptr;
};

}  // namespace mdp::auth
