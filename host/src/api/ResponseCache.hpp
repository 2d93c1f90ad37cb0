// A bounded in-memory cache of finished API responses (representations), so a repeated read
// is a hash lookup plus one socket write: routes look up a key built from every parameter
// that shapes the response (ResponseCacheKey) after auth, rate limiting and parameter
// validation, and store only complete successful answers.
//
// - Bounded by total bytes (body + headers + key + a fixed overhead per entry), LRU
//   eviction; every entry has its own expiry. max_bytes = 0 disables it (find() misses,
//   store() drops).
// - Entries carry a scope (an exchange id, or "" = several exchanges): invalidate(exchange)
//   drops the entries of that exchange and the unscoped ones at once (a metadata sync of
//   this process committed). A response computed while an invalidation ran is not stored:
//   take generation() before reading, pass it to store().
// - Values are immutable and shared: a hit copies a pointer, not the body.
// - Thread-safe: sharded by key hash, one mutex per shard held only for the map/list
//   update (no rendering, no upstream or database work under a lock).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "Request.hpp"
#include "Response.hpp"

namespace mdp::api {

// One cached response, minus what belongs to the request (X-Request-Id, Date, RateLimit-*).
struct CachedResponse {
  int status = 200;
  std::string content_type;
  http::HeaderList headers;
  std::shared_ptr<const std::string> body;  // never null

  // Takes status, content type, headers and the body (shared, no copy) of `response`.
  static std::shared_ptr<const CachedResponse> capture(http::Response& response);
  // Writes status, content type and headers (set_header: request headers already there
  // stay) and the shared body into `response`.
  void apply_to(http::Response& response) const;
};

class ResponseCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::size_t kDefaultShards = 16;
  static constexpr std::size_t kEntryOverheadBytes = 256;

  // Each of `shards` shards holds at most max_bytes / shards; an entry larger than that is
  // not stored. Throws std::invalid_argument for shards == 0 or an empty clock.
  explicit ResponseCache(std::size_t max_bytes, Clock clock = std::chrono::steady_clock::now,
                         std::size_t shards = kDefaultShards);
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  bool enabled() const noexcept { return max_bytes_ > 0; }

  // The live entry under `key` (and marks it most recently used), or null.
  std::shared_ptr<const CachedResponse> find(const std::string& key);

  std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }

  // Stores (or replaces) `key` for `ttl`, unless disabled, ttl <= 0, the entry is larger
  // than a shard, or invalidate() ran since `generation` was read.
  void store(const std::string& key, std::string scope, std::shared_ptr<const CachedResponse> value,
             std::chrono::milliseconds ttl, std::uint64_t generation);

  // Drops every entry whose scope is `exchange` or "".
  void invalidate(std::string_view exchange);

  std::size_t bytes() const;
  std::size_t entries() const;

 private:
  struct Entry {
    std::string key;
    std::string scope;
    std::shared_ptr<const CachedResponse> value;
    std::chrono::steady_clock::time_point expires;
    std::size_t bytes = 0;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::list<Entry> lru;  // most recently used first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views into Entry::key
    std::size_t bytes = 0;
  };

  Shard& shard_for(const std::string& key);
  static void erase(Shard& shard, std::list<Entry>::iterator it);

  std::size_t max_bytes_;
  std::size_t shard_max_bytes_;
  Clock clock_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace mdp::api
