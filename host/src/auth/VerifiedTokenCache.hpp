// A bounded cache of verified tokens, so a client's repeat requests cost a SHA-256 and a
// lookup instead of a full verification (PERFORMANCE.md §3; PostgREST's JWT cache spec):
//   - keyed by SHA-256 of the exact token text (safe because the verifier accepts only one
//     spelling of each token, J4); the token itself is not kept;
//   - only verified tokens go in (callers insert after JwtVerifier said yes);
//   - an entry dies at the token's exp: find() at or after it answers nothing and drops it;
//   - hard cap on entries: a full shard first drops expired entries, then arbitrary ones
//     (counted in evictions()).
// Sharded by hash with a mutex per shard, for many server threads. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "AccessToken.hpp"

namespace mdp::auth {

class VerifiedTokenCache {
 public:
  // Throws std::invalid_argument for max_entries == 0.
  explicit VerifiedTokenCache(std::size_t max_entries);

  // The principal of this exact token when cached and now_s < its exp.
  std::optional<Principal> find(std::string_view token, std::int64_t now_s);
  // Caches a verified token's principal until principal.expires_at (not at all when that
  // has already passed).
  void insert(std::string_view token, const Principal& principal, std::int64_t now_s);

  std::size_t size() const;
  std::uint64_t evictions() const noexcept { return evictions_.load(); }
  std::size_t capacity() const noexcept { return per_shard_ * kShards; }

 private:
  static constexpr std::size_t kShards = 16;

  struct DigestHash {
    std::size_t operator()(const std::string& digest) const noexcept;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Principal, DigestHash> entries;  // key: 32-byte SHA-256
  };

  static std::string key_of(std::string_view token);
  Shard& shard_of(const std::string& key);

  const std::size_t per_shard_;
  std::array<Shard, kShards> shards_;
  std::atomic<std::uint64_t> evictions_{0};
};

}  // namespace mdp::auth
