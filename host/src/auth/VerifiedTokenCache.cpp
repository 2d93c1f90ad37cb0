#include "VerifiedTokenCache.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include "HmacSha256.hpp"

namespace mdp::auth {

std::size_t VerifiedTokenCache::DigestHash::operator()(const std::string& digest) const noexcept {
  // The key is already a uniform hash: its first bytes are as good as any.
  std::size_t value = 0;
  std::memcpy(&value, digest.data(), std::min(sizeof value, digest.size()));
  return value;
}

VerifiedTokenCache::VerifiedTokenCache(std::size_t max_entries)
    : per_shard_(max_entries == 0 ? 0 : (max_entries + kShards - 1) / kShards) {
  if (max_entries == 0) throw std::invalid_argument("the token cache needs room for at least one entry");
}

std::string VerifiedTokenCache::key_of(std::string_view token) {
  const Sha256Digest digest = sha256(token);
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

VerifiedTokenCache::Shard& VerifiedTokenCache::shard_of(const std::string& key) {
  return shards_[static_cast<unsigned char>(key.back()) % kShards];
}

std::optional<Principal> VerifiedTokenCache::find(std::string_view token, std::int64_t now_s) {
  const std::string key = key_of(token);
  Shard& shard = shard_of(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  const auto found = shard.entries.find(key);
  if (found == shard.entries.end()) return std::nullopt;
  if (now_s >= found->second.expires_at) {
    shard.entries.erase(found);
    return std::nullopt;
  }
  return found->second;
}

void VerifiedTokenCache::insert(std::string_view token, const Principal& principal, std::int64_t now_s) {
  if (now_s >= principal.expires_at) return;
  const std::string key = key_of(token);
  Shard& shard = shard_of(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (shard.entries.size() >= per_shard_ && shard.entries.find(key) == shard.entries.end()) {
    for (auto it = shard.entries.begin(); it != shard.entries.end();) {
      it = now_s >= it->second.expires_at ? shard.entries.erase(it) : std::next(it);
    }
    while (shard.entries.size() >= per_shard_) {
      shard.entries.erase(shard.entries.begin());
      ++evictions_;
    }
  }
  shard.entries.insert_or_assign(key, principal);
}

std::size_t VerifiedTokenCache::size() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

}  // namespace mdp::auth
